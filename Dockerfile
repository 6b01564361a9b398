# One image for every deployable (README "Deploying"); the command chooses which one runs:
#   docker build -t crossgov .
#   docker run --env-file publisher.env crossgov subgraphs/organisation/dist/main.js
# gateway/dist/main.js, subgraphs/directory/dist/main.js, subgraphs/insights/dist/main.js and
# subgraphs/organisation/dist/main.js (a publisher: PUBLISHER or ORGANISATION says which) are the four.
# Each is configured only by its environment (.env.example).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# corepack cannot fetch pnpm through every registry; npm can.
RUN npm install --global pnpm@9.15.9
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.json ./
COPY schema/package.json schema/
COPY gateway/package.json gateway/
COPY subgraphs/directory/package.json subgraphs/directory/
COPY subgraphs/insights/package.json subgraphs/insights/
COPY subgraphs/organisation/package.json subgraphs/organisation/
COPY scripts/package.json scripts/
COPY test/package.json test/
COPY test/utils/package.json test/utils/
RUN pnpm install --frozen-lockfile
COPY schema schema
COPY gateway gateway
COPY subgraphs subgraphs
COPY scripts scripts
RUN pnpm build
# compose.yaml's supergraph, composed from its registry (a real deployment mounts its own).
RUN pnpm compose --registry scripts/deploy/registry.json --out scripts/deploy
# Then only what the deployables run with: their production dependencies, no compiler or test tools.
RUN rm -rf node_modules */node_modules subgraphs/*/node_modules \
 && pnpm install --frozen-lockfile --prod --filter ./schema --filter ./gateway --filter "./subgraphs/*"

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build --chown=node:node /app /app
USER node
# Every process serves GET /healthz (alive) and GET /readyz (ready) on its PORT.
ENTRYPOINT ["node", "--conditions=crossgov-dist", "--enable-source-maps"]
CMD ["gateway/dist/main.js"]
