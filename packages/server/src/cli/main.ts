// The `takedown` command-line entry point (bin/takedown.js runs this file on Node 24).
import { main } from './dispatch.ts';

// A reader that stops early (`takedown match … | head`) closes the pipe: stop quietly, as Unix tools do,
// instead of a stack trace for output nobody wants any more.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
