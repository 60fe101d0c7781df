# syntax=docker/dockerfile:1
# Offline Sync: one Dockerfile for both apps, chosen with the APP build argument. From the
# repository root:
#   docker build --build-arg APP=master -t offline-sync-master .
#   docker build --build-arg APP=ship -t offline-sync-ship .
# The master:       docker run offline-sync-master        (serves the console at /console)
# Its migrations:   docker run offline-sync-master node dist/apps/master/apps/master/src/migrate.js
# A ship:           docker run -v ship-data:/data --env-file ship.env offline-sync-ship
# The Node that the tests run on (.nvmrc); a release pins it by digest as well (@sha256:...).
ARG NODE_IMAGE=node:26.12.1-bookworm-slim
ARG APP=master

# ---- dependencies (with the toolchain that builds better-sqlite3's native addon) ------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# Native addons compile against this image's own Node headers (not the repository's .npmrc,
# which is not copied).
ENV npm_config_nodedir=/usr/local \
  npm_config_fund=false \
  npm_config_audit=false
COPY package.json package-lock.json ./
# `npm install` with the committed lockfile installs exactly its versions (`npm ci` refuses a
# lockfile that lacks other platforms' optional binaries; see scripts/lib/ensure-deps.sh).
RUN npm install --no-audit --no-fund --no-save

# ---- build ----------------------------------------------------------------------------------
FROM deps AS build
ARG APP
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY apps/${APP} ./apps/${APP}
RUN npx nest build "${APP}" \
  && test -f "dist/apps/${APP}/apps/${APP}/src/main.js"

# ---- the operator console (static files the master serves at /console) -----------------------
FROM ${NODE_IMAGE} AS console
WORKDIR /app/apps/console
COPY apps/console/package.json apps/console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY libs/api-client/src /app/libs/api-client/src
COPY apps/console ./
RUN npm run build && test -f /app/dist/console/index.html

# ---- production dependencies only (native addons already built above) -------------------------
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime, common to both apps ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
  MALLOC_ARENA_MAX=2 \
  PORT=3000 \
  HOST=0.0.0.0
WORKDIR /app
# Application files stay owned by root: the app runs as the unprivileged `node` user (uid 1000)
# and can read them, not change them.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
COPY package.json ./
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/api/offline-sync/health/live',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

# ---- the master: a smaller young generation (~25 MB less resident memory for the same work) -----
FROM runtime AS runtime-master
ENV NODE_OPTIONS="--max-semi-space-size=4"
COPY --from=console /app/dist/console ./dist/console
USER 1000:1000
CMD ["node", "dist/apps/master/apps/master/src/main.js"]

# ---- a ship: small hardware, its SQLite database on the /data volume (docs/configuration.md,
# "Memory") ------------------------------------------------------------------------------------
FROM runtime AS runtime-ship
ENV NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=1" \
  MALLOC_MMAP_THRESHOLD_=65536 \
  MALLOC_TRIM_THRESHOLD_=131072 \
  DATABASE_CLIENT=sqlite \
  DATABASE_FILENAME=/data/ship.db
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER 1000:1000
CMD ["node", "dist/apps/ship/apps/ship/src/main.js"]

# ---- the image: the runtime of the app asked for ------------------------------------------------
# hadolint ignore=DL3006
FROM runtime-${APP}
