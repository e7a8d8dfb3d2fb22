# syntax=docker/dockerfile:1
# delfin-ts image: one image, every role. The role is the command:
#   docker run ... delfin-ts api      GraphQL over HTTP and WebSocket on PORT (4000)
#   docker run ... delfin-ts worker   pulls tasks from NATS JetStream
#   docker run ... delfin-ts          (no command) = `all`, every role in one process
# It needs PostgreSQL (DATABASE_URL), NATS with JetStream (NATS_URL) and DELFIN_SECRET_KEY
# (openssl rand -base64 32): the same key for every replica, or stored passwords cannot be read.
# See docker-compose.yml for a whole deployment.

# ---- build: compile the TypeScript and the web pages, then drop the dev dependencies --------
FROM node:24-bookworm-slim AS build
WORKDIR /app
# `npm ci` runs the `prepare` script (`npm run build`: tsc, then Vite builds web/ into
# dist/web: the dashboard and the GraphiQL playground), so the sources must be here before it
# runs; tsc, Vite, React and GraphiQL are devDependencies: installed here, pruned after the build.
COPY package.json package-lock.json tsconfig.json ./
# The empty package npm `overrides` put in place of the MongoDB stand-in's unused dependencies.
COPY vendor ./vendor
COPY src ./src
COPY bin ./bin
COPY web ./web
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# --ignore-scripts: pruning must not run `prepare` again (tsc and Vite are about to be removed).
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: production dependencies and the compiled code (dist/web included) only ----------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
# Owned by root and read-only for the process: the app never writes its own directory.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The official node images ship the unprivileged user `node` (uid 1000).
USER node
EXPOSE 4000
# Liveness of the api (roles `api` and `all`). No curl in slim images: node's fetch does it.
# A `worker` has no HTTP server: docker-compose.yml disables this check for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: the api drains, a worker finishes or hands back its
# tasks (policy worker.shutdownGraceSeconds), then the process exits.
ENTRYPOINT ["node", "bin/delfin.js"]
CMD ["all"]
