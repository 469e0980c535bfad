import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { judgeServiceWorker } from './web/judge/sw-plugin.ts';

// Three entries: the organizer console (index.html), the judge's phone page (judge.html), which must
// stay small (it shares no chunk with the console's Ant Design bundle), and the hall's big screen
// (screen.html, Ant Design-free too; ECharts is loaded lazily for the reveal).
export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  base: '/',
  plugins: [
    react(),
    // dist/web/judge-sw.js: the judge page's offline shell (web/judge/sw.ts).
    judgeServiceWorker({
      source: resolve(import.meta.dirname, 'web/judge/sw.ts'),
      htmlEntry: resolve(import.meta.dirname, 'web/judge.html'),
    }),
  ],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    // .vite/manifest.json: what each entry loads, for the judge page's size budget (scripts/judge-size.mjs).
    manifest: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, 'web/index.html'),
        judge: resolve(import.meta.dirname, 'web/judge.html'),
        screen: resolve(import.meta.dirname, 'web/screen.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
