import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.API_URL ?? 'http://localhost:3000';
// Page loads under /portal go to the SPA; the app's own fetches (Accept: application/json) go to the API.
const htmlToSpa = (req: { headers: Record<string, string | string[] | undefined> }) =>
  String(req.headers.accept ?? '').includes('text/html') ? '/index.html' : undefined;

/** The browser app: built to web/dist (served by the API), or `npm run web:dev` against a running API. */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': api,
      '/portal': { target: api, bypass: htmlToSpa },
    },
  },
});
