# One image build for the whole workspace; `api` and `web` are the two runnable targets.
# docker compose builds them; nothing here is needed for the no-Docker quick start.
FROM node:22-bookworm-slim AS workspace
RUN npm install --global --no-fund --no-audit pnpm@12
WORKDIR /app
COPY . .
# The SPA's build holds no setting of a deployment: its web server reads them at start.
RUN pnpm install --frozen-lockfile && pnpm -r build

FROM workspace AS api
ENV API_HOST=0.0.0.0 API_PORT=8443
EXPOSE 8443
CMD ["pnpm", "--filter", "@tandem/api", "start"]

# The SPA's production server (apps/web/server): HTTP/2 + TLS, precompressed assets, the CSP.
# Its settings come from the environment when it starts (WEB_API_URL, …; see .env.example).
FROM workspace AS web
ENV WEB_HOST=0.0.0.0 WEB_PORT=5173
EXPOSE 5173
CMD ["pnpm", "--filter", "@tandem/web", "start"]
