# Thinkpane: the standalone Next.js server, run as an unprivileged user.
# docker build -t thinkpane . && docker run -p 3000:3000 -e AIMLAPI_API_KEY=... thinkpane
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/data
RUN groupadd --system thinkpane && useradd --system --gid thinkpane --home /app thinkpane \
  && mkdir -p /data && chown thinkpane:thinkpane /data
# The build copied .next/static and public into the standalone folder (scripts/standalone-assets.mjs).
COPY --from=build --chown=thinkpane:thinkpane /app/.next/standalone ./
USER thinkpane
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.js"]
