# The API only: in containers it talks to the neo4j service (NEO4J_URI), so no Java is needed here.
# Node 24 is the active LTS (Node 20 reached end of life on 2026-04-30).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json README.md ./
COPY src ./src
COPY explorer ./explorer
# The explorer and GraphiQL bundle is built here; the image serves it without its sources.
RUN npm run build && npm run build:explorer && npm prune --omit=dev

FROM node:24-slim
WORKDIR /app
# Production mode: no introspection or field suggestions unless enabled. In a container the API must listen
# on every interface to be reachable through the published port (npm start binds 127.0.0.1).
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/explorer/dist ./explorer/dist
COPY package.json ./
COPY schema ./schema
COPY seed ./seed
USER node
EXPOSE 4000
CMD ["node", "dist/server.js"]
