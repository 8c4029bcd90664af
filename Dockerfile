# The gateway in a container (docs/deploying.md):
#   docker build -t ai-gateway .
#   docker run -p 3000:3000 -e OPENAI_API_KEY=sk-… -e GATEWAY_MASTER_KEY=… ai-gateway
# It listens on 0.0.0.0, so without a gateway credential it serves only clients that bring
# their own provider keys (auth mode `own-keys-only`). `npm run test:container` (CI) runs
# this file's run stage from a clean folder: npm ci --omit=dev over the built dist/, its
# CMD, then its HEALTHCHECK.

# Build: every dependency, then the esbuild bundles dist/server.mjs and dist/keys.mjs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY lib ./lib
COPY scripts ./scripts
RUN npm run build

# Run: production dependencies and the bundles only, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The key file store (npm run keys, here `node dist/keys.mjs`) lives in a volume (compose.yaml).
RUN mkdir -p .gateway && chown node:node .gateway
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/server.mjs"]
