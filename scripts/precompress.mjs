#!/usr/bin/env node
// Brotli and gzip copies of the built web assets (dist/web), made once at build time so the server
// sends compressed bytes without compressing on every request (@fastify/static's preCompressed).
//
//   node scripts/precompress.mjs [distDir]     (run by `npm run build:web` after `vite build`)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.webmanifest', '.map']);
/** Below this a compressed copy saves less than the extra header costs. */
const MIN_BYTES = 1024;

export function precompress(distDir) {
  let files = 0;
  let raw = 0;
  let br = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      if (!COMPRESSIBLE.has(extname(name)) || statSync(path).size < MIN_BYTES) continue;
      const bytes = readFileSync(path);
      const brotli = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      });
      writeFileSync(`${path}.br`, brotli);
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      files++;
      raw += bytes.length;
      br += brotli.length;
    }
  };
  walk(distDir);
  return { files, raw, br };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const dist = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist', 'web'));
  const { files, raw, br } = precompress(dist);
  console.log(`precompressed ${files} files: ${(raw / 1000).toFixed(0)} KB → ${(br / 1000).toFixed(0)} KB brotli`);
}
