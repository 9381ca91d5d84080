/**
 * Build of the console SPA (src/console). Output: dist/console, served by `cavra serve` and reused by the
 * static sandbox. `base: './'` keeps every asset URL relative, so the same build works from a sub-path
 * (GitHub Pages) as well as from `/` (decision 0015).
 */
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/console',
  base: './',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    sourcemap: true,
    manifest: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev:console` proxies the API to a server started with `npm start` (or PORT=… for another port).
    proxy: { '/api': `http://127.0.0.1:${process.env.CAVRA_API_PORT ?? '8787'}` },
  },
});
