import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two entries: the organizer console (index.html) and the judge's phone page (judge.html), which
// must stay small: it shares no chunk with the console's Ant Design bundle.
export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, 'web/index.html'),
        judge: resolve(import.meta.dirname, 'web/judge.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
