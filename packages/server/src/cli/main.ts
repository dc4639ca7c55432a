// The `takedown` command-line entry point (bin/takedown.js runs this file on Node 24).
import { main } from './dispatch.ts';

process.exitCode = await main(process.argv.slice(2));
