import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { MasterConfig } from '../core/config/master-config';

/** The console's own files only: no script or style from anywhere else, no framing. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets element styles inline.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The console's response headers; mounted at /console ahead of its files (master.app.ts). */
export function consoleSecurityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/**
 * The operator console (apps/console, built into CONSOLE_DIR) at /console: static files from the
 * master itself, nothing from a CDN, every action through the public REST API. Deep links fall
 * back to its index.html. Without a build the master runs without it and says so.
 */
@Module({})
export class ConsoleModule {
  static forRoot(config: MasterConfig): DynamicModule {
    const root = path.resolve(config.consoleDir);
    if (!existsSync(path.join(root, 'index.html'))) {
      new Logger(ConsoleModule.name).warn(
        `No operator console at ${root} (npm run build:console builds it); /console is not served`,
      );
      return { module: ConsoleModule };
    }
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: root,
          serveRoot: '/console',
          serveStaticOptions: { index: 'index.html', maxAge: '1h' },
        }),
      ],
    };
  }
}
