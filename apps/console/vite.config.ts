import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Served by the master at /console; everything is bundled (ships and shore offices may be offline).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: {
      '@offline-sync/api-client': fileURLToPath(
        new URL('../../libs/api-client/src/index.ts', import.meta.url),
      ),
    },
    // The generated client lives outside this package; its one dependency comes from here.
    dedupe: ['openapi-fetch'],
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // One page application, loaded once per session from the master itself: no splitting.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
