import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticatePlatformKey } from '../src/services/platform-accounts.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { runCli } from './helpers/run-cli.ts';

const pdq = (seed: number) => createHash('sha256').update(`cli ${seed}`).digest('hex');

// The CLI runs as its own process: on PostgreSQL, so the test can look at the same database meanwhile.
// Each test starts several CLI processes (each opening the database): give them room on a busy machine.
describe('takedown platform / bank / content (PostgreSQL)', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await backends[1].create();
    env = { DATABASE_URL: db.databaseUrl, TAKEDOWN_DATA_DIR: db.dataDir, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64') };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('platform add prints a working key once; bad names exit 2', async () => {
    const added = await runCli(['platform', 'add', 'pics', '--scope', 'check,content'], { env });
    expect(added.code).toBe(0);
    const token = /tdk_[A-Za-z0-9_-]+/.exec(added.stdout)![0];
    expect(await authenticatePlatformKey(db.database, token)).toMatchObject({ platformName: 'pics', scopes: ['check', 'content'] });
    const listed = await runCli(['platform', 'list'], { env });
    expect(listed.stdout).toContain('pics');
    expect(listed.stdout).not.toContain(token);
    const bad = await runCli(['platform', 'add', 'Not A Name'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('lowercase');
  });

  it('platform hosts adds, normalises and removes the hosts a platform serves; bad or taken hosts exit 2 and change nothing', async () => {
    expect((await runCli(['platform', 'add', 'clips'], { env })).code).toBe(0);
    const added = await runCli(['platform', 'hosts', 'pics', '--add', 'Pics.example', '--add', '*.cdn.pics.example', '--add', 'bücher.example'], { env });
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Hosts of "pics":\n  *.cdn.pics.example\n  pics.example\n  xn--bcher-kva.example\n');
    const bad = await runCli(['platform', 'hosts', 'pics', '--add', 'https://pics.example/p/1'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('without scheme, port, path');
    const taken = await runCli(['platform', 'hosts', 'clips', '--add', 'clips.example', '--add', 'pics.example'], { env });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('pics.example is declared by another platform');
    const removed = await runCli(['platform', 'hosts', 'pics', '--remove', 'bücher.example', '--json'], { env });
    expect(JSON.parse(removed.stdout)).toEqual({ platform: 'pics', hosts: ['*.cdn.pics.example', 'pics.example'], added: [], removed: ['xn--bcher-kva.example'] });
    expect((await runCli(['platform', 'hosts', 'clips'], { env })).stdout).toContain('"clips" declares no hosts');
    // What the platform pastes into its pages (docs/platform.md, "Report from your pages").
    const snippets = await runCli(['platform', 'report-link', 'pics', '--url', 'https://pics.example/p/1', '--lang', 'it'], { env: { ...env, TAKEDOWN_PUBLIC_URL: 'https://td.example' } });
    expect(snippets.code).toBe(0);
    expect(snippets.stdout).toContain('https://td.example/request?platform=pics&lang=it&url=https%3A%2F%2Fpics.example%2Fp%2F1');
    expect(snippets.stdout).toContain('<iframe src="https://td.example/embed/report?platform=pics&amp;lang=it&amp;url=');
    expect(snippets.stdout).toContain('Pages on these hosts may frame the button: *.cdn.pics.example, pics.example');
    expect((await runCli(['platform', 'report-link', 'clips'], { env })).stdout).toContain('"clips" declares no hosts yet');
    expect((await runCli(['platform', 'report-link', 'nosuch'], { env })).code).toBe(2);
    expect((await runCli(['platform', 'hosts', 'nobody'], { env })).code).toBe(2);
    const audited = await db.database.db.selectFrom('audit_events').select(['actor', 'data']).where('action', '=', 'platform.hosts_changed').orderBy('seq').execute();
    expect(audited).toHaveLength(2);
    expect(audited[1]).toMatchObject({ actor: 'cli', data: { added: [], removed: ['xn--bcher-kva.example'] } });
  });

  it('platform jurisdiction shows, sets (a configured code too) and clears the regime a platform answers to', async () => {
    const profiles = join(db.dataDir, 'jurisdictions.json');
    writeFileSync(profiles, JSON.stringify({ profiles: { NZ: { removalDeadlineHours: 36, escalationAfterHours: [18, 27], regulator: { name: 'Netsafe', url: 'https://netsafe.org.nz' } } } }));
    const withProfiles = { ...env, TAKEDOWN_JURISDICTIONS_FILE: profiles };
    expect((await runCli(['platform', 'jurisdiction', 'pics'], { env })).stdout).toBe('"pics" sets no jurisdiction: the requester\'s location or the deployment default decides.\n');
    const set = await runCli(['platform', 'jurisdiction', 'pics', 'au'], { env });
    expect([set.code, set.stdout]).toEqual([0, '"pics" answers to AU (24-hour clock, regulator: eSafety Commissioner).\n']);
    const custom = await runCli(['platform', 'jurisdiction', 'pics', 'NZ', '--json'], { env: withProfiles });
    expect(JSON.parse(custom.stdout)).toMatchObject({ platform: 'pics', jurisdiction: 'NZ', profile: { removalDeadlineHours: 36, regulator: { name: 'Netsafe' } } });
    const unknown = await runCli(['platform', 'jurisdiction', 'pics', 'NZ'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('takedown platform jurisdiction: We do not handle requests under "NZ". Please choose one of: US, AU, EU, UK.\n');
    expect((await runCli(['platform', 'list'], { env: withProfiles })).stdout).toContain('jurisdiction: NZ');
    expect((await runCli(['platform', 'jurisdiction', 'pics', '--clear'], { env })).code).toBe(0);
    expect((await runCli(['platform', 'jurisdiction', 'pics', 'AU', '--clear'], { env })).code).toBe(1);
    const audited = await db.database.db.selectFrom('audit_events').select(['actor', 'data']).where('action', '=', 'platform.jurisdiction_set').orderBy('seq').execute();
    expect(audited.map((a) => [a.actor, (a.data as { to: string | null }).to])).toEqual([['cli', 'AU'], ['cli', 'NZ'], ['cli', null]]);
  });

  it('platform add without --scope gives every scope but banks and exchange; bank create makes an empty bank for the HMA routes', async () => {
    const added = await runCli(['platform', 'add', 'hma-user'], { env });
    const token = /tdk_[A-Za-z0-9_-]+/.exec(added.stdout)![0];
    expect((await authenticatePlatformKey(db.database, token))?.scopes).toEqual(['content', 'check', 'removals', 'webhooks', 'hma']);
    const created = await runCli(['bank', 'create', 'ncii_partner'], { env });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('HMA calls it NCII_PARTNER');
    expect((await runCli(['bank', 'create', 'ncii_partner'], { env })).code).toBe(0);
    expect((await runCli(['bank', 'list'], { env })).stdout).toMatch(/ncii_partner\s+imported\s+enabled\s+0 hashes/);
    const bad = await runCli(['bank', 'create', 'NCII Partner'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('lowercase');
    expect((await runCli(['bank', 'create'], { env })).code).toBe(1);
  });

  it('bank import reports bad lines by number, --strict loads nothing, export writes python-threatexchange CSV, set refuses loose thresholds', async () => {
    const list = join(db.dataDir, 'list.txt');
    writeFileSync(list, `# partner list\n${pdq(1)}\nnot-a-hash\n${pdq(2)}\n${pdq(1)}\n`);
    const strict = await runCli(['bank', 'import', 'partner', list, '--strict'], { env });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('list.txt:3:');
    const loaded = await runCli(['bank', 'import', 'partner', list], { env });
    expect(loaded.code).toBe(2);
    expect(JSON.parse(loaded.stdout)).toEqual({ linesRead: 5, loaded: 2, alreadyInBank: 0, duplicates: 1, rejected: 1 });
    const csv = join(db.dataDir, 'bank.csv');
    writeFileSync(csv, `signal_type,signal_str,collab,category,tags\r\npdq,${pdq(3)},partner-a,INVESTIGATION_SEED,\r\nvideo_md5,${'ab'.repeat(16)},partner-a,,\r\n`);
    expect((await runCli(['bank', 'import', 'partner', csv], { env })).code).toBe(0);
    const exported = await runCli(['bank', 'export', 'partner', '--format', 'threatexchange-csv'], { env });
    expect(exported.stdout.trim().split('\r\n').sort()).toEqual(['signal_type,signal_str,collab,category,tags', `video_md5,${'ab'.repeat(16)},,,`, ...[pdq(1), pdq(2), pdq(3)].map((h) => `pdq,${h},,,`)].sort());
    const hexOnly = await runCli(['bank', 'export', 'partner', '--format', 'hex'], { env });
    expect(hexOnly.stderr).toContain('1 md5 signal left out: the plain format cannot hold them.');
    const loose = await runCli(['bank', 'set', 'confirmed', '--set', 'pdq.blockBits=12'], { env });
    expect(loose.code).toBe(2);
    expect(loose.stderr).toContain('0 to 10');
    const noPercent = await runCli(['bank', 'set', 'partner', '--set', 'vpdq.queryPercent=most'], { env });
    expect(noPercent.code).toBe(1);
    expect(noPercent.stderr).toContain('--set takes <signal>.<setting>=<value>');
    const unknown = await runCli(['bank', 'set', 'partner', '--set', 'tmk.x=1'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no signal type "tmk"');
    expect((await runCli(['bank', 'set', 'partner', '--disable', '--set', 'vpdq.queryPercent=90'], { env })).code).toBe(0);
    expect((await runCli(['bank', 'list'], { env })).stdout).toMatch(/partner\s+imported\s+DISABLED\s+4 hashes.*vpdq: review at ≥ 90 % of the upload's frames/);
  });

  it('content import backfills from JSONL with a progress bar on stderr, idempotently', async () => {
    const file = join(db.dataDir, 'content.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ contentId: `c${i}`, url: `https://pics.example/p/${i}`, pdq: pdq(1000 + i), pdqQuality: 80 }));
    lines.splice(5, 0, '{"contentId": "broken"');
    writeFileSync(file, lines.join('\n') + '\n');
    const first = await runCli(['content', 'import', file, '--platform', 'pics'], { env });
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('content.jsonl:6: not valid JSON');
    expect(first.stderr).toMatch(/\[#+\] 100%\s+3,000 entries/);
    expect(JSON.parse(first.stdout)).toEqual({ lines: 3001, inserted: 3000, updated: 0, unchanged: 0, rejected: 1 });
    const again = await runCli(['content', 'import', file, '--platform', 'pics'], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, unchanged: 3000 });
    const count = await db.database.db.selectFrom('platform_content').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3000);
    const missing = await runCli(['content', 'import', file, '--platform', 'nobody'], { env });
    expect(missing.code).toBe(2);
  });
});
