# syntax=docker/dockerfile:1
# The national service (#18, docs/release.md). Build from the repository root:
#   docker build -f deploy/national.Dockerfile -t p2p-hub/national .
# Stage 1 compiles the workspaces with the full toolchain; stage 2 holds only the built files and
# the production dependencies (npm ci --omit=dev), runs as the unprivileged `node` user and
# answers its HEALTHCHECK on /health.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY schema/package.json schema/
COPY subgraphs/runtime/package.json subgraphs/runtime/
COPY subgraphs/national/package.json subgraphs/national/
COPY subgraphs/province/package.json subgraphs/province/
COPY gateway/package.json gateway/
COPY scripts/package.json scripts/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx turbo run build --filter=@p2p/national... \
 && npm run -s release:stage -- national /release

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /release/manifests/ ./
RUN npm ci --omit=dev --workspace @p2p/national --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /release/app/ ./
USER node
ENV HOST=0.0.0.0 PORT=4001
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "subgraphs/national/dist/main.js"]
