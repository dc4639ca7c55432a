/**
 * npm run bench:hostile-pictures — the server's peak memory under pictures made to exhaust it, with the decode
 * budget (the defaults) against the same server with the budget opened wide (TAKEDOWN_DECODE_CONCURRENCY=64,
 * TAKEDOWN_DECODE_MEMORY_BYTES 64 GiB: as before the budget existed), in the same run.
 *
 * Each server is a real `takedown serve` process on its own embedded database. The attacks, sent to
 * POST /v1/check with a valid platform key, as issue 15 found them:
 * - 8 at once of a 50-megapixel PNG of one colour (about 150 KB on the wire, 200 MB once decoded), 3 rounds;
 * - 32 at once of a 200-byte SVG that declares 7000×7000 pixels, 3 rounds.
 * Printed per server: the peak resident memory (VmHWM of the server process), its resident memory after start
 * (the baseline), and how the calls were answered (a 503 always carries Retry-After; any other 5xx is a fault).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CLI, freePort, startServer, stopServer } from '@takedown/testing/server-process';

const MB = 1024 * 1024;

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function attack(baseUrl: string, token: string, file: Buffer, filename: string, type: string, concurrent: number, rounds: number) {
  const answers: Record<string, number> = {};
  let missingRetryAfter = 0;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      Array.from({ length: concurrent }, async (_, i) => {
        const form = new FormData();
        form.set('contentId', `hostile-${round}-${i}`);
        form.set('file', new Blob([new Uint8Array(file)], { type }), filename);
        const response = await fetch(`${baseUrl}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
        await response.arrayBuffer();
        answers[response.status] = (answers[response.status] ?? 0) + 1;
        if (response.status === 503 && !response.headers.get('retry-after')) missingRetryAfter++;
      }),
    );
  }
  return { answers, missingRetryAfter };
}

async function measure(label: string, env: Record<string, string>, files: { png: Buffer; svg: Buffer }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-bench-hostile-'));
  const base = { ...process.env, TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_LOG_LEVEL: 'warn', ...env };
  try {
    const added = execFileSync(process.execPath, [CLI, 'platform', 'add', 'bench'], { env: base, encoding: 'utf8' });
    const token = /Bearer (\S+)/.exec(added)![1];
    const server = await startServer(base, await freePort());
    try {
      const pid = server.child.pid!;
      const atStart = memoryOf(pid);
      const png = await attack(server.baseUrl, token, files.png, 'flat.png', 'image/png', 8, 3);
      const afterPng = memoryOf(pid);
      const svg = await attack(server.baseUrl, token, files.svg, 'drawing.svg', 'image/svg+xml', 32, 3);
      const afterSvg = memoryOf(pid);
      const fiveHundreds = (a: Record<string, number>) => Object.entries(a).filter(([s]) => Number(s) >= 500 && Number(s) !== 503).reduce((n, [, c]) => n + c, 0);
      return {
        label,
        settings: env,
        rssAtStartMb: atStart.rssMb,
        peakRssMb: afterSvg.peakMb,
        peakRssAfterPngsMb: afterPng.peakMb,
        pngs50Mp: png,
        svgs7000: svg,
        faults5xx: fiveHundreds(png.answers) + fiveHundreds(svg.answers) + png.missingRetryAfter + svg.missingRetryAfter,
      };
    } finally {
      await stopServer(server);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const png = await sharp({ create: { width: 10_000, height: 5_000, channels: 3, background: { r: 200, g: 120, b: 90 } } }).png({ compressionLevel: 9 }).toBuffer();
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="7000" height="7000"><rect width="7000" height="7000" fill="red"/></svg>');
const files = { png, svg };
const open = await measure('budget opened wide (as before)', { TAKEDOWN_DECODE_CONCURRENCY: '64', TAKEDOWN_DECODE_MEMORY_BYTES: String(64 * 1024 * MB) }, files);
const bounded = await measure('default budget', {}, files);
console.log(
  JSON.stringify(
    {
      benchmark: 'hostile-pictures',
      files: { pngBytes: png.length, pngPixels: 50_000_000, svgBytes: svg.length },
      baseline: open,
      budget: bounded,
      peakRatio: Math.round((bounded.peakRssMb / open.peakRssMb) * 100) / 100,
    },
    null,
    2,
  ),
);
