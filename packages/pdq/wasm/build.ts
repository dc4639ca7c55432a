/** Regenerates src/pdq-simd.generated.ts from pdq-simd.wat: `npm run build:wasm -w @takedown/pdq`. */
import { writeFileSync } from 'node:fs';
import { compilePdqSimd, GENERATED_PATH, generatedModuleText } from './compile.ts';

const bytes = await compilePdqSimd();
writeFileSync(GENERATED_PATH, generatedModuleText(bytes));
console.log(`wrote ${GENERATED_PATH} (${bytes.length} bytes of WebAssembly)`);
