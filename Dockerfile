# quartet node image: `docker build -t quartet .`
# Build stage: compile the TypeScript and keep only the production dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The sources go in before `npm ci`: its `prepare` step is `npm run build` (tsc, then the bundles).
COPY package.json package-lock.json tsconfig.json ./
COPY bin bin
COPY src src
COPY test test
COPY configs configs
COPY scripts scripts
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Run stage: the compiled code, a non-root user, data in a volume.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/bin bin
COPY --from=build /app/configs configs
COPY deploy/entrypoint.sh /usr/local/bin/quartet-entrypoint
RUN useradd --system --uid 10001 --home-dir /data quartet \
  && mkdir -p /data && chown quartet /data && chmod 0755 /usr/local/bin/quartet-entrypoint
USER quartet
VOLUME /data
# 10000: peers and MessagePack clients; 8080: the HTTP API.
EXPOSE 10000 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.QUARTET_HTTP_PORT || 8080) + '/status').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["quartet-entrypoint"]
