import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Copies wasm-vips (the decoder of CMYK JPEGs and animated WebP, src/hashing/libvips-decoder.ts) into the build as it is published:
 * its threads load vips-es6.js again by its own URL, which bundling would break. Loaded only when needed. The
 * folder is named by the files' content hash, as Vite names its own assets: /assets is cached for a year.
 */
const wasmVipsLib = dirname(createRequire(import.meta.url).resolve('wasm-vips/vips.wasm'));
const wasmVipsFiles = ['vips-es6.js', 'vips.wasm'].map((name) => ({ name, source: readFileSync(join(wasmVipsLib, name)) }));
const wasmVipsHash = wasmVipsFiles.reduce((hash, file) => hash.update(file.source), createHash('sha256')).digest('hex').slice(0, 12);
const wasmVipsDir = `assets/wasm-vips-${wasmVipsHash}`;

function wasmVipsAssets(): Plugin {
  return {
    name: 'takedown-wasm-vips',
    apply: 'build',
    generateBundle() {
      for (const { name, source } of wasmVipsFiles) this.emitFile({ type: 'asset', fileName: `${wasmVipsDir}/${name}`, source });
    },
  };
}

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
        // The report button platforms frame on their pages: its own small page (docs/platform.md).
        embed: resolve(import.meta.dirname, 'embed.html'),
      },
    },
  },
  // Where the CMYK decoder finds wasm-vips; replaced in the page and the worker bundles alike.
  define: { __WASM_VIPS_MODULE_URL__: JSON.stringify(`/${wasmVipsDir}/vips-es6.js`) },
  worker: { format: 'es' },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
