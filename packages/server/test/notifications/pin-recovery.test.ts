import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import type { NotificationDispatcher } from '../../src/jobs/notification-dispatcher.ts';
import { createNotificationDispatcher } from '../../src/jobs/notify-lane.ts';
import { createStaffUser } from '../../src/services/staff.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { PII, requestBody, testKeys } from '../helpers/fixtures.ts';
import { TestMailServer } from '@takedown/testing/mail-server';

const PASSWORD = 'correct horse battery staple';
const SAME_ANSWER = 'If the case number and the email address match, we have sent a code to that address. It works for 30 minutes. It can take a few minutes to arrive; check your spam folder too.';

for (const backend of backends) {
  describe(`PIN recovery through the contact address (${backend.name})`, () => {
    let db: TestDatabase;
    let app: FastifyInstance;
    let dispatcher: NotificationDispatcher;
    const mail = new TestMailServer();
    const keys = testKeys();

    beforeAll(async () => {
      db = await backend.create();
      await mail.start();
      const config = loadConfig(
        { TAKEDOWN_SMTP_URL: mail.url, TAKEDOWN_PUBLIC_URL: 'https://help.example.org', TAKEDOWN_MAIL_FROM: 'Case updates <no-reply@help.example.org>' },
        { dataDir: db.dataDir, logLevel: 'silent', intakeRateLimit: { max: 1000, windowMs: 60_000 } },
      );
      app = await buildApp(config, { database: db.database, keys, clock: systemClock });
      dispatcher = createNotificationDispatcher({ config, database: db.database, clock: systemClock, keys });
      for (const [username, role] of [['riley', 'reviewer'], ['ada', 'admin']] as const) await createStaffUser(db.database, systemClock, { username, role, password: PASSWORD }, 'test');
    });
    afterAll(async () => {
      await dispatcher?.stop();
      await app?.close();
      await mail.stop();
      await db?.drop();
    });

    const ask = (caseNumber: string, email: string, ip = '198.51.100.7') => app.inject({ method: 'POST', url: '/v1/pin-recovery', payload: { caseNumber, email }, remoteAddress: ip });
    const confirm = (caseNumber: string, code: string) => app.inject({ method: 'POST', url: '/v1/pin-recovery/confirm', payload: { caseNumber, code }, remoteAddress: '198.51.100.7' });
    const view = (caseNumber: string, pin: string) => app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: { 'takedown-case-pin': pin }, remoteAddress: '203.0.113.9' });

    it('sends a one-time code to the address given with the request, and the same answer whether or not it matches; the code sets a new PIN once', async () => {
      const submitted = (await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ language: 'de' }) })).json<{ caseNumber: string; pin: string }>();
      const before = mail.received.length;

      // Each the first request for its case from its network: the same answer, the same budget left.
      const wrong = await ask(submitted.caseNumber, 'someone.else@example.org');
      const unknown = await ask('TD-0000-0000', PII.email);
      const right = await ask(submitted.caseNumber.toLowerCase(), ` ${PII.email.toUpperCase()} `, '198.51.100.8');
      for (const response of [wrong, unknown, right]) {
        expect(response.statusCode).toBe(202);
        expect(response.json()).toEqual({ message: SAME_ANSWER, codeValidMinutes: 30, triesBeforeWait: 2, waitAfterTriesSeconds: 900 });
      }

      await dispatcher.drain();
      const sent = mail.received.slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0].to).toEqual([PII.email]);
      expect(sent[0].subject).toBe('Neuigkeiten zu Ihrem Fall');
      expect(sent[0].text).toContain('https://help.example.org/recover');
      expect(sent[0].raw).not.toContain(submitted.pin);
      const code = /Ihr Code lautet (\d{4} \d{4})/.exec(sent[0].text)?.[1];
      expect(code).toBeDefined();
      // The code is stored only as a keyed hash; the job and the notification hold none of it.
      const stored = JSON.stringify(await db.database.transaction(async (tx) => [await tx.selectFrom('pin_resets').selectAll().execute(), await tx.selectFrom('notifications').selectAll().execute(), await tx.selectFrom('jobs').select('payload').execute()]));
      expect(stored).not.toContain(code!.replace(' ', ''));
      expect(stored).not.toContain(PII.email);

      expect((await confirm(submitted.caseNumber, '0000 0000')).statusCode).toBe(404);
      const reset = await confirm(submitted.caseNumber, code!);
      expect(reset.statusCode).toBe(200);
      const { pin } = reset.json<{ pin: string }>();
      expect(pin).toMatch(/^\d{8}$/);
      expect((await view(submitted.caseNumber, submitted.pin)).statusCode).toBe(404);
      expect((await view(submitted.caseNumber, pin)).statusCode).toBe(200);
      // Once only.
      const again = await confirm(submitted.caseNumber, code!);
      expect(again.statusCode).toBe(404);
      expect(again.json().error.message).toMatch(/^This code does not work for this case number/);
    });

    it('holds back a flood of codes for one case (a few free, then a wait), and says what to fix for bad input', async () => {
      const submitted = (await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody() })).json<{ caseNumber: string }>();
      // The address that matches and one that does not get the same warnings before the wait, and the same wait.
      const answersTo = async (email: string, ip: string) => {
        const answers = [];
        for (let i = 0; i < 3; i += 1) {
          const response = await ask(submitted.caseNumber, email, ip);
          expect(response.statusCode).toBe(202);
          answers.push(response.json<{ message: string; triesBeforeWait: number; waitAfterTriesSeconds: number; retryAt?: string }>());
        }
        return answers;
      };
      const matching = await answersTo(PII.email, '192.0.2.44');
      const other = await answersTo('someone.else@example.org', '192.0.2.45');
      const withoutTime = (answer: { message: string; retryAt?: string }) => ({ ...answer, message: answer.message.replace(/\d{4}-[\d:.T-]+Z/, 'TIME'), retryAt: answer.retryAt && 'TIME' });
      expect(other.map(withoutTime)).toEqual(matching.map(withoutTime));
      expect(matching.map((a) => [a.triesBeforeWait, a.waitAfterTriesSeconds])).toEqual([[2, 900], [1, 900], [1, 1800]]);
      expect(matching[0].message).toBe(SAME_ANSWER);
      expect(matching[1].message).toBe(`${SAME_ANSWER} You can ask for a code once more; after that you will have to wait 15 minutes before asking again.`);
      expect(matching[1].retryAt).toBeUndefined();
      expect(Date.parse(matching[2].retryAt!) - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(matching[2].message).toMatch(/the next request for a code from this address must wait until \d{4}-/);
      const held = await ask(submitted.caseNumber, PII.email, '192.0.2.44');
      expect(held.statusCode).toBe(429);
      expect(held.json().error.message).toMatch(/^Too many requests for a code from this address for this case number\. Try again after/);
      expect(held.headers['retry-after']).toBeDefined();

      const missing = await app.inject({ method: 'POST', url: '/v1/pin-recovery', payload: { caseNumber: submitted.caseNumber } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toMatch(/email/);
      const malformed = await confirm(submitted.caseNumber, 'abc');
      expect(malformed.statusCode).toBe(404);
    });

    it('answers wrong codes with the same facts as a wrong PIN, as data: the wait one more would bring, then until when', async () => {
      const submitted = (await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody() })).json<{ caseNumber: string }>();
      const guess = () => app.inject({ method: 'POST', url: '/v1/pin-recovery/confirm', payload: { caseNumber: submitted.caseNumber, code: '1234 0000' }, remoteAddress: '192.0.2.91' });
      const answers: { nextWaitSeconds?: number; retryAt?: string; triesBeforeWait?: number; waitAfterTriesSeconds?: number }[] = [];
      for (let i = 0; i < 10; i += 1) {
        const response = await guess();
        expect(response.statusCode).toBe(404);
        answers.push(response.json().error);
        if (response.json().error.retryAt) break;
      }
      const [warned, waiting] = answers.slice(-2);
      expect(warned.nextWaitSeconds).toBeGreaterThan(0);
      expect(warned.retryAt).toBeUndefined();
      expect(Date.parse(waiting.retryAt!)).toBeGreaterThan(Date.now());
      expect(answers[0].nextWaitSeconds).toBe(0);
      // Five wrong codes are free: after the first, five more tries before a wait of a minute, counting down.
      expect(answers.slice(0, 5).map((a) => [a.triesBeforeWait, a.waitAfterTriesSeconds])).toEqual([[5, 60], [4, 60], [3, 60], [2, 60], [1, 60]]);
      const locked = await guess();
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error).toMatchObject({ code: 'too_many_attempts', retryAt: waiting.retryAt });
    });

    it('shows staff the messages that did not arrive, with reasons and no address (reports permission)', async () => {
      const signIn = async (username: string) => {
        const response = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username, password: PASSWORD } });
        return ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      };
      const admin = await app.inject({ method: 'GET', url: '/v1/staff/notifications?state=sent', headers: { cookie: await signIn('ada') } });
      expect(admin.statusCode).toBe(200);
      const listed = admin.json<{ notifications: { kind: string; state: string; caseNumber: string | null }[] }>().notifications;
      expect(listed.some((n) => n.kind === 'pin_reset' && n.state === 'sent')).toBe(true);
      expect(JSON.stringify(listed)).not.toContain(PII.email);
      expect((await app.inject({ method: 'GET', url: '/v1/staff/notifications', headers: { cookie: await signIn('riley') } })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/v1/staff/notifications?state=lost', headers: { cookie: await signIn('ada') } })).statusCode).toBe(400);
    });
  });
}
