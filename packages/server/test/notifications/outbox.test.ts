import { ManualClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from '../../src/jobs/notification-dispatcher.ts';
import { parseAllowList } from '../../src/net/address-ranges.ts';
import { MailSender } from '../../src/notifications/mail-sender.ts';
import type { StaffRoute } from '../../src/notifications/staff-alerts.ts';
import { DEFAULT_DELIVERY_SCHEDULE } from '../../src/platform/delivery-schedule.ts';
import { escalateOpenItems } from '../../src/services/escalation.ts';
import { addPlatformKey } from '../../src/services/platform-accounts.ts';
import { claimDeliveries, recordDelivery } from '../../src/services/webhook-delivery.ts';
import { queuePlatformEvents } from '../../src/store/platform-events.ts';
import { submitRequest } from '../../src/services/intake.ts';
import { claimNotifications, listNotificationsFor, type NotifySettings } from '../../src/services/notifications.ts';
import { withdrawCase } from '../../src/services/requester-case.ts';
import { decideCase, decideItem, PLATFORM_NOTIFY_JOB, recordRemoval } from '../../src/services/review.ts';
import type { Keys } from '../../src/crypto/keys.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { PII, pinAttempt, testKeys, testSharedCopies, validRequest } from '../helpers/fixtures.ts';
import { TestMailServer } from '@takedown/testing/mail-server';
import { startChatReceiver } from './chat-receiver.ts';

const LOCAL = { allowedHosts: parseAllowList(['127.0.0.1']).allowList, allowHttp: true };
const REVIEWER = { userId: '00000000-0000-4000-8000-000000000001', actor: 'staff:sam', seesSenior: true };

function dispatcherFor(db: TestDatabase, keys: Keys, clock: ManualClock, mail: TestMailServer | undefined, settings: Partial<NotifySettings> = {}) {
  const full: NotifySettings = { publicUrl: 'https://help.example.org', staffRoutes: [], maxAttempts: 4, emailConfigured: mail !== undefined, ...settings };
  const sender = mail ? new MailSender({ smtpUrl: mail.url, from: 'Case updates <no-reply@help.example.org>', timeoutMs: 3_000 }) : undefined;
  return new NotificationDispatcher({ database: db.database, clock, keys, settings: full, mail: sender, outbound: LOCAL, timeoutMs: 3_000, pollMs: 50 });
}

async function notificationsOf(db: TestDatabase, caseId: string | null) {
  return db.database.transaction((tx) =>
    tx.selectFrom('notifications').selectAll().$if(caseId !== null, (q) => q.where('case_id', '=', caseId!)).orderBy('created_at').orderBy('kind').execute(),
  );
}

for (const backend of backends) {
  describe(`notifications through the outbox (${backend.name})`, () => {
    let db: TestDatabase;
    const mail = new TestMailServer();
    const closing: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      db = await backend.create();
      await mail.start();
    });
    afterAll(async () => {
      for (const close of closing.reverse()) await close().catch(() => undefined);
      await mail.stop();
      await db?.drop();
    });

    it('tells a requester who opted in, in their language and time zone: receipt (never the PIN), decision, removal with its time; staff get the new request', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const routes: StaffRoute[] = [{ role: 'reviewer', channel: 'email', target: 'reviewers@help.example.org' }];
      const dispatcher = dispatcherFor(db, keys, clock, mail, { staffRoutes: routes });
      const before = mail.received.length;
      const request = validRequest(clock, { language: 'it-IT', timeZone: 'Europe/Rome', notify: { email: true } });
      const submitted = await submitRequest(db.database, keys, clock, request);

      // Nothing leaves inside the request's transaction: the outbox holds it until the dispatcher runs.
      expect(mail.received.length).toBe(before);
      await dispatcher.drain();
      const first = mail.received.slice(before);
      const receipt = first.find((m) => m.to.includes(PII.email))!;
      const staff = first.find((m) => m.to.includes('reviewers@help.example.org'))!;
      expect(receipt.subject).toBe('Un aggiornamento sulla tua pratica');
      expect(receipt.from).toContain('Case updates');
      expect(receipt.text).toContain(submitted.caseNumber);
      // 48 h after 09:00 UTC on 10 March is 10:00 in Rome on 12 March.
      expect(receipt.text).toMatch(/12 marzo 2026.*10:00/);
      expect(staff.text).toContain(`New request ${submitted.caseNumber}`);
      expect(staff.text).toContain('https://help.example.org/review');
      for (const message of [receipt, staff]) {
        expect(message.raw).not.toContain(submitted.pin);
        expect(message.raw).not.toContain('platform.example.com');
        expect(message.raw).not.toContain(PII.name);
        expect(message.raw).not.toContain('UNMISTAKABLE');
      }
      expect(staff.raw).not.toContain(PII.email);

      // The queued rows and jobs hold a case reference, never the address.
      const dump = JSON.stringify(await db.database.transaction((tx) => tx.selectFrom('jobs').select('payload').execute())) + JSON.stringify(await notificationsOf(db, submitted.caseId));
      expect(dump).not.toContain(PII.email);

      clock.advance(3_600_000);
      expect(await decideItem(db.database, clock, REVIEWER, submitted.items[0].id, { decision: 'confirm' })).toMatchObject({ kind: 'ok' });
      clock.advance(1_800_000);
      expect(await recordRemoval(db.database, clock, submitted.items[0].id, 'platform:test')).toMatchObject({ kind: 'ok' });
      await dispatcher.drain();
      const later = mail.received.slice(before + 2).filter((m) => m.to.includes(PII.email));
      expect(later.map((m) => m.text.split('\n\n')[1])).toEqual([
        `La parte 1 della pratica ${submitted.caseNumber} è stata approvata. Abbiamo chiesto che venga rimossa.`,
        // Removed at 10:30 UTC = 11:30 in Rome (CET).
        expect.stringMatching(new RegExp(`^La parte 1 della pratica ${submitted.caseNumber} è stata rimossa il 10 marzo 2026.*11:30`)),
      ]);
      const states = (await notificationsOf(db, submitted.caseId)).map((n) => `${n.audience}/${n.kind}/${n.state}`);
      expect(states.sort()).toEqual(['requester/item_confirmed/sent', 'requester/item_removed/sent', 'requester/receipt/sent', 'staff/new_request/sent', 'staff/new_request/sent'].sort());
    });

    it('tells the person once for a bulk decision, in their language, with how many parts and what happens next; platform notices stay per item', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const dispatcher = dispatcherFor(db, keys, clock, mail);
      const before = mail.received.length;
      const parts = (n: number) => Array.from({ length: n }, (_, i) => ({ url: `https://platform.example.com/p/${clock.now().getTime()}-${i}`, hashes: {} }));
      const confirmed = await submitRequest(db.database, keys, clock, validRequest(clock, { language: 'de-DE', timeZone: 'Europe/Berlin', notify: { email: true }, items: parts(3) }));
      const declined = await submitRequest(db.database, keys, clock, validRequest(clock, { language: 'en', notify: { email: true }, items: parts(3) }));
      const single = await submitRequest(db.database, keys, clock, validRequest(clock, { language: 'es', notify: { email: true }, items: parts(2) }));
      await dispatcher.drain();
      const receipts = mail.received.length;

      clock.advance(3_600_000);
      const ids = (c: { items: { id: string }[] }) => c.items.map((i) => i.id);
      expect(await decideCase(db.database, clock, REVIEWER, confirmed.caseNumber, { decision: 'confirm', itemIds: ids(confirmed) })).toMatchObject({ kind: 'ok' });
      // Two of three: the one left undecided is not counted.
      expect(await decideCase(db.database, clock, REVIEWER, declined.caseNumber, { decision: 'decline', reason: 'not_on_platform', itemIds: ids(declined).slice(0, 2) })).toMatchObject({ kind: 'ok' });
      // A bulk decision on one item says what a single decision says.
      expect(await decideCase(db.database, clock, REVIEWER, single.caseNumber, { decision: 'decline', reason: 'not_on_platform', itemIds: ids(single).slice(1) })).toMatchObject({ kind: 'ok' });
      await dispatcher.drain();
      const sent = mail.received.slice(receipts).filter((m) => m.to.includes(PII.email));
      expect(sent).toHaveLength(3);
      const body = (caseNumber: string) => sent.find((m) => m.text.includes(caseNumber))!.text.split('\n\n');
      expect(body(confirmed.caseNumber).slice(1, 3)).toEqual([
        `3 Teile von Fall ${confirmed.caseNumber} wurden genehmigt. Wir haben die Entfernung verlangt. Wir schreiben Ihnen jedes Mal, wenn einer entfernt ist.`,
        'Ihren Fall sehen Sie unter https://help.example.org/status mit Fallnummer und PIN.',
      ]);
      expect(body(declined.caseNumber)[1]).toBe(`We could not approve 2 parts of case ${declined.caseNumber}. You can see why, and what you can do next, on your case page.`);
      expect(body(single.caseNumber)[1]).toBe(`No pudimos aprobar la parte 2 del caso ${single.caseNumber}. En la página de tu caso verás el motivo y qué puedes hacer.`);
      for (const message of sent) {
        for (const c of [confirmed, declined, single]) expect(message.raw).not.toContain(c.pin);
        expect(message.raw).not.toContain('platform.example.com');
      }
      const kinds = async (caseId: string) => (await notificationsOf(db, caseId)).filter((n) => n.audience === 'requester').map((n) => `${n.kind}/${n.state}`);
      expect(await kinds(confirmed.caseId)).toEqual(['receipt/sent', 'case_decided/sent']);
      expect(await kinds(declined.caseId)).toEqual(['receipt/sent', 'case_decided/sent']);
      expect(await kinds(single.caseId)).toEqual(['receipt/sent', 'item_declined/sent']);
      // Each confirmed item still tells its platform on its own.
      const notify = await db.database.transaction((tx) => tx.selectFrom('jobs').select('payload').where('kind', '=', PLATFORM_NOTIFY_JOB).execute());
      expect(notify.filter((j) => ids(confirmed).includes(String(j.payload.itemId)))).toHaveLength(3);
      expect(mail.received.length - before).toBe(receipts - before + 3);
    });

    it('sends nothing to a requester who did not opt in, and cancels what is queued when the case is withdrawn', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const dispatcher = dispatcherFor(db, keys, clock, mail);
      const before = mail.received.length;
      const quiet = await submitRequest(db.database, keys, clock, validRequest(clock));
      const withdrawn = await submitRequest(db.database, keys, clock, validRequest(clock, { notify: { email: true } }));
      const ctx = { database: db.database, keys, clock, sharedCopies: testSharedCopies(db.dataDir, keys) };
      expect(await withdrawCase(ctx, pinAttempt(withdrawn.caseNumber, withdrawn.pin))).toMatchObject({ kind: 'ok' });
      await dispatcher.drain();
      expect(mail.received.slice(before).filter((m) => m.to.includes(PII.email))).toEqual([]);
      expect((await notificationsOf(db, quiet.caseId)).filter((n) => n.audience === 'requester')).toEqual([]);
      expect((await notificationsOf(db, withdrawn.caseId)).filter((n) => n.audience === 'requester').map((n) => n.state)).toEqual(['cancelled']);
    });

    it('keeps messages while the mail server is down and sends them when it is back; nothing is lost', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const down = new TestMailServer();
      await down.start();
      const port = down.port;
      await down.stop(); // the port is known, nothing listens on it
      const dispatcher = dispatcherFor(db, keys, clock, down);
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock, { notify: { email: true } }));
      await dispatcher.drain();
      const [waiting] = (await notificationsOf(db, submitted.caseId)).filter((n) => n.audience === 'requester');
      expect(waiting).toMatchObject({ state: 'queued', attempts: 1, last_error: 'could not reach the mail server' });
      // Not before its retry time…
      expect(await dispatcher.drain()).toBe(0);

      const back = new TestMailServer();
      await back.start(port);
      closing.push(() => back.stop());
      clock.advance(31_000);
      await dispatcher.drain();
      expect(back.received.filter((m) => m.to.includes(PII.email))).toHaveLength(1);
      const [sent] = (await notificationsOf(db, submitted.caseId)).filter((n) => n.audience === 'requester');
      expect(sent).toMatchObject({ state: 'sent', attempts: 2 });
    });

    it('sends a message again when the process that leased it died before recording the outcome (at least once)', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const dispatcher = dispatcherFor(db, keys, clock, mail);
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock, { notify: { email: true } }));
      const settings: NotifySettings = { publicUrl: 'https://help.example.org', staffRoutes: [], maxAttempts: 4, emailConfigured: true };
      // A process leases the batch, then dies: nothing is sent, no outcome is recorded.
      const leased = await claimNotifications(db.database, keys, clock.now(), settings, { limit: 50, leaseMs: 60_000 });
      expect(leased.tasks.some((t) => t.message.to === PII.email)).toBe(true);
      const before = mail.received.length;
      expect(await dispatcher.drain()).toBe(0); // still leased
      clock.advance(61_000);
      await dispatcher.drain();
      expect(mail.received.slice(before).filter((m) => m.to.includes(PII.email) && m.text.includes(submitted.caseNumber))).toHaveLength(1);
      const [sent] = (await notificationsOf(db, submitted.caseId)).filter((n) => n.audience === 'requester');
      expect(sent).toMatchObject({ state: 'sent', attempts: 1 });
    });

    it('records a recipient the mail server refuses (5xx), does not retry it, and shows it to staff with an audit entry', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const refusing = await new TestMailServer().start();
      closing.push(() => refusing.stop());
      refusing.refuse.add('nobody.here@example.org');
      const dispatcher = dispatcherFor(db, keys, clock, refusing);
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock, { contact: { email: 'nobody.here@example.org' }, notify: { email: true } }));
      await dispatcher.drain();
      const [refused] = (await notificationsOf(db, submitted.caseId)).filter((n) => n.audience === 'requester');
      expect(refused).toMatchObject({ state: 'rejected', attempts: 1, last_error: 'the mail server refused the recipient (SMTP 550)' });
      clock.advance(7_200_000);
      expect(await dispatcher.drain()).toBe(0);
      const shown = await listNotificationsFor(db.database, { states: ['failed', 'rejected'], limit: 100 });
      expect(shown.find((n) => n.id === refused.id)).toMatchObject({ caseNumber: submitted.caseNumber, kind: 'receipt', state: 'rejected' });
      expect(JSON.stringify(shown)).not.toContain('nobody.here');
      const audit = await db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'data']).where('case_id', '=', submitted.caseId).where('action', '=', 'notification.rejected').execute());
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain('nobody.here');
    });

    it('gives up after the retry budget and marks the message failed', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const gone = new TestMailServer();
      await gone.start();
      await gone.stop();
      const dispatcher = dispatcherFor(db, keys, clock, gone, { maxAttempts: 3 });
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock, { notify: { email: true } }));
      for (let i = 0; i < 5; i += 1) {
        await dispatcher.drain();
        clock.advance(3_600_000);
      }
      const [failed] = (await notificationsOf(db, submitted.caseId)).filter((n) => n.audience === 'requester');
      expect(failed).toMatchObject({ state: 'failed', attempts: 3 });
      expect(failed.last_error).toMatch(/^gave up after 3 attempts/);
    });

    it('alerts staff on a chat webhook ({"text"}) when items escalate and breach, with case numbers and a console link only', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const chat = await startChatReceiver();
      closing.push(chat.close);
      const dispatcher = dispatcherFor(db, keys, clock, undefined, { staffRoutes: [{ role: 'senior', channel: 'chat', target: chat.url }] });
      const submitted = await submitRequest(db.database, keys, clock, validRequest(clock));
      clock.advance(25 * 3_600_000);
      await db.database.transaction((tx) => escalateOpenItems(tx, clock.now()));
      clock.advance(24 * 3_600_000);
      await db.database.transaction((tx) => escalateOpenItems(tx, clock.now()));
      await dispatcher.drain();
      const ours = chat.posts.filter((p) => p.text.includes(submitted.caseNumber));
      expect(ours.map((p) => p.text.split('\n')[0])).toEqual([
        `New request ${submitted.caseNumber}: 1 item in the standard queue, due by 2026-03-12 09:00 UTC.`,
        expect.stringMatching(new RegExp(`^Item 1 of ${submitted.caseNumber} is still open and was escalated \\(level 1\\)`)),
        `Item 1 of ${submitted.caseNumber} was not removed by its deadline, 2026-03-12 09:00 UTC.`,
      ]);
      for (const post of ours) {
        expect(post.text).toContain('https://help.example.org/review');
        expect(post.text).not.toContain('platform.example.com');
        expect(post.text).not.toContain(PII.email);
      }
    });

    it('tells admins when the webhook of a platform keeps failing (after 3 failures), naming the platform and the failure only', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const chat = await startChatReceiver();
      closing.push(chat.close);
      const dispatcher = dispatcherFor(db, keys, clock, undefined, { staffRoutes: [{ role: 'admin', channel: 'chat', target: chat.url }] });
      const name = `pics-${backend.name}`;
      const platform = await addPlatformKey(db.database, clock, { name }, 'test');
      await db.database.transaction((tx) => queuePlatformEvents(tx, clock.now(), [{ platformId: platform.platformId, type: 'check.review', data: { contentId: 'upload-1' } }]));
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const [task] = await claimDeliveries(db.database, clock.now(), { limit: 1, skipLanes: [], leaseMs: 1_000 });
        await recordDelivery(db.database, clock.now(), task, 'could not connect', DEFAULT_DELIVERY_SCHEDULE);
        if (attempt < 3) {
          await dispatcher.drain();
          expect(chat.posts.filter((p) => p.text.includes(name))).toEqual([]);
        }
        clock.advance(24 * 3_600_000);
      }
      await dispatcher.drain();
      expect(chat.posts.filter((p) => p.text.includes(name)).map((p) => p.text.split('\n')[0])).toEqual([
        `Webhook deliveries to ${name} are failing (3 attempts so far): could not connect. Items waiting on them go to a person before their deadline.`,
      ]);
    });

    it('tells admins once per outage: the next event failing behind a given-up one repeats neither alert within a day', async () => {
      const keys = testKeys();
      const clock = new ManualClock(new Date('2026-03-10T09:00:00Z'));
      const chat = await startChatReceiver();
      closing.push(chat.close);
      const dispatcher = dispatcherFor(db, keys, clock, undefined, { staffRoutes: [{ role: 'admin', channel: 'chat', target: chat.url }] });
      const name = `lane-${backend.name}`;
      const platform = await addPlatformKey(db.database, clock, { name }, 'test');
      const events = ['upload-1', 'upload-2'].map((contentId) => ({ platformId: platform.platformId, type: 'check.review' as const, data: { contentId } }));
      await db.database.transaction((tx) => queuePlatformEvents(tx, clock.now(), events));
      const schedule = { ...DEFAULT_DELIVERY_SCHEDULE, maxAttempts: 4 };
      for (let attempt = 1; attempt <= 8; attempt += 1) {
        const [task] = await claimDeliveries(db.database, clock.now(), { limit: 1, skipLanes: [], leaseMs: 1_000 });
        await recordDelivery(db.database, clock.now(), task, 'could not connect', schedule);
        clock.advance(3_600_000);
      }
      await dispatcher.drain();
      expect(chat.posts.filter((p) => p.text.includes(name)).map((p) => p.text.split('\n')[0])).toEqual([
        `Webhook deliveries to ${name} are failing (3 attempts so far): could not connect. Items waiting on them go to a person before their deadline.`,
        `Webhook deliveries to ${name} were given up after 4 attempts: could not connect. Items waiting on them go to a person before their deadline.`,
      ]);
    });
  });
}
