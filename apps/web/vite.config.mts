import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_URL ?? 'http://localhost:3000';

/**
 * `npm run build` writes the console to dist/web, which the API serves under `/`; `npm run dev:web` serves it with
 * hot reload, forwarding API paths to :3000. No React plugin: Vite 8 compiles TSX itself (Oxc, automatic runtime).
 */
export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: `${here}../../dist/web`, emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false, chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(['/v1', '/health', '/docs'].map((path) => [path, { target: api, changeOrigin: false }])),
  },
});
