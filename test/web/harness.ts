/**
 * What the browser tests run against: the real server from the app factory on a fresh PGlite data dir, the
 * real web build, and Debian's Chromium driven by playwright-core. Nothing is mocked.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { systemClock } from '@takedown/core';
import { buildApp, createStaffUser, migrate, openDatabase, type StaffRole, loadConfig } from '@takedown/server';
import type { FastifyInstance } from 'fastify';
import { copyPgliteTemplate } from '@takedown/testing/databases';
import { builtOnce } from '@takedown/testing/run-templates';
import { VECTORS_DIR } from '@takedown/testing/vectors';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const REPO = resolve(import.meta.dirname, '../..');
export const VECTORS = VECTORS_DIR;
export const ARTIFACTS = join(REPO, 'test-artifacts', 'web');
export const STAFF_PASSWORD = 'correct horse battery staple';

/**
 * Builds packages/web, as `npm start` does, into `outDir`; the server is pointed at it. In a test run, the
 * run's one build (made by the first file to ask, never rebuilt while files use it); outside a run, into a
 * folder of this test file's own.
 */
export async function buildWeb(outDir: string): Promise<string> {
  const build = async (into: string) => {
    const { build } = await import('vite');
    await build({ configFile: join(REPO, 'packages/web/vite.config.ts'), logLevel: 'warn', build: { outDir: into, emptyOutDir: true } });
  };
  const shared = builtOnce('web-dist', build);
  if (shared) return shared;
  await build(outDir);
  return outDir;
}

/** Opens and migrates a database as the server does at start (what the run's PGlite template is made with). */
async function openMigrated(options: { databaseUrl?: string; dataDir: string }) {
  const database = await openDatabase(options);
  await migrate(database);
  return database;
}

export interface Harness {
  app: FastifyInstance;
  baseUrl: string;
  browser: Browser;
  dataDir: string;
  addStaff(username: string, role: StaffRole): Promise<void>;
  close(): Promise<void>;
}

/**
 * `env`: settings as the environment would give them (single sign-on, say); `port`: where to listen (0: any);
 * `browserArgs`: more Chromium switches (such as --host-resolver-rules, for pages on other host names).
 */
export async function startHarness(options: { env?: Record<string, string>; port?: number; browserArgs?: string[] } = {}): Promise<Harness> {
  // Never skip: a missing browser is a broken test machine, and must show up as a failure.
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install chromium) to run the browser tests.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'takedown-web-'));
  const webDistDir = await buildWeb(join(dataDir, 'web-dist'));
  // A copy of the run's migrated database (the server then finds nothing to migrate); outside a run, a fresh one.
  await copyPgliteTemplate('migrated', openMigrated, dataDir);
  const port = options.port ?? 0;
  const config = loadConfig({ ...options.env, TAKEDOWN_DATA_DIR: dataDir }, { webDistDir, port, logLevel: 'warn', runWorker: false, intakeRateLimit: { max: 1000, windowMs: 60_000 } });
  const app = await buildApp(config);
  const address = await app.listen({ host: '127.0.0.1', port });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // launch() starts from a fresh temporary user-data-dir each time.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.browserArgs ?? [])],
  });
  return {
    app,
    // The address as `npm start` prints it: the secure session cookie must work on plain-HTTP loopback too.
    baseUrl: address,
    browser,
    dataDir,
    async addStaff(username, role) {
      await createStaffUser(app.services.database, systemClock, { username, role, password: STAFF_PASSWORD }, 'test');
    },
    async close() {
      await browser.close();
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh browser profile (no cookies, no cache), as phone (360 px) or desktop; `options` sets the browser's
 * language (navigator.languages and Accept-Language), its time zone, or another screen size.
 */
export async function newContext(
  harness: Harness,
  size: 'phone' | 'desktop',
  options: { locale?: string; timezoneId?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const context = await harness.browser.newContext({
    baseURL: harness.baseUrl,
    locale: options.locale,
    timezoneId: options.timezoneId,
    viewport: options.viewport ?? (size === 'phone' ? { width: 360, height: 760 } : { width: 1280, height: 900 }),
    deviceScaleFactor: 1,
    isMobile: size === 'phone',
    hasTouch: size === 'phone',
  });
  context.setDefaultTimeout(20_000);
  // The quick exit goes to an outside site; answer it here so the test never touches the internet.
  await context.route('https://www.google.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title><p>Weather</p>' }));
  return context;
}

/** Signs a staff member in to the console (the password every test account has) and waits for the console. */
export async function signInAsStaff(page: Page, username: string): Promise<void> {
  await page.goto('/review');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
