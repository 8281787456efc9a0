# The booking API and worker (one image, two commands). Production-shaped: no embedded servers, no demo seed.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx runs the TypeScript directly, so dev dependencies that run code (tsx, typescript) stay installed.
RUN npm ci --no-audit --no-fund
COPY . .
USER node
EXPOSE 3000
CMD ["npx", "tsx", "app/api.ts"]
