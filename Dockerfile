# The booking API and worker (one image, two commands). Production-shaped: no embedded servers, no demo seed.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript directly and Vite builds the browser app, so dev dependencies are installed too.
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run web:build
ENV NODE_ENV=production
USER node
EXPOSE 3000
CMD ["npx", "tsx", "app/api.ts"]
