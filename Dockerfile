# One image build for the whole workspace; `api` and `web` are the two runnable targets.
# docker compose builds them; nothing here is needed for the no-Docker quick start.
FROM node:22-bookworm-slim AS workspace
RUN npm install --global --no-fund --no-audit pnpm@12
WORKDIR /app
COPY . .
ARG VITE_API_URL=https://localhost:8443
ENV VITE_API_URL=${VITE_API_URL}
# #region labs
ARG VITE_API_H1_URL=https://localhost:8444
# true: the SPA's build loads its lab layer (the Lab console); the API's is LABS_ENABLED at run time.
ARG VITE_LABS_ENABLED=false
ENV VITE_API_H1_URL=${VITE_API_H1_URL} VITE_LABS_ENABLED=${VITE_LABS_ENABLED}
# #endregion labs
RUN pnpm install --frozen-lockfile && pnpm -r build

FROM workspace AS api
ENV API_HOST=0.0.0.0 API_PORT=8443
EXPOSE 8443
CMD ["pnpm", "--filter", "@tandem/api", "start"]

FROM workspace AS web
ENV WEB_HOST=0.0.0.0 WEB_PORT=5173
EXPOSE 5173
CMD ["pnpm", "--filter", "@tandem/web", "preview"]
