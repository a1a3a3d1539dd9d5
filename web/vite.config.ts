import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is served by Vigil itself from web/dist; `vite` in dev proxies the API to a running server.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': process.env.VIGIL_URL ?? 'http://127.0.0.1:8080' } },
});
