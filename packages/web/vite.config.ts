import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Copies wasm-vips (the CMYK JPEG decoder, src/hashing/cmyk-jpeg-decoder.ts) into the build as it is published:
 * its threads load vips-es6.js again by its own URL, which bundling would break. Loaded only when needed.
 */
function wasmVipsAssets(): Plugin {
  const lib = dirname(createRequire(import.meta.url).resolve('wasm-vips/vips.wasm'));
  return {
    name: 'takedown-wasm-vips',
    apply: 'build',
    generateBundle() {
      for (const file of ['vips-es6.js', 'vips.wasm']) {
        this.emitFile({ type: 'asset', fileName: `assets/wasm-vips/${file}`, source: readFileSync(join(lib, file)) });
      }
    },
  };
}

// Two pages: the public request pages (index.html, served at /) and the reviewer console (review.html, at
// /review), so the public bundle carries none of the staff code.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), wasmVipsAssets()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        review: resolve(import.meta.dirname, 'review.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
