import { randomBytes } from 'node:crypto';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from '../../src/jobs/notification-dispatcher.ts';
import { parseAllowList } from '../../src/net/address-ranges.ts';
import { MailSender } from '../../src/notifications/mail-sender.ts';
import { decideAppeal, openAppeal } from '../../src/services/appeals.ts';
import { submitRequest } from '../../src/services/intake.ts';
import { addPlatformKey } from '../../src/services/platform-accounts.ts';
import { changePlatformHosts } from '../../src/services/platform-hosts.ts';
import { decideItem, type StaffActor } from '../../src/services/review.ts';
import { createStaffUser } from '../../src/services/staff.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { PII, testKeys, validRequest } from '../helpers/fixtures.ts';
import { TestMailServer } from '@takedown/testing/mail-server';

const UPLOADER_WORDS = 'UPLOADER-WORDS-5521: I took this photo and posted it myself';

// The person depicted hears that an uploader's appeal was opened and how it ended, by email if they opted in;
// never who appealed, what they wrote, which platform, or the address.
for (const backend of backends) {
  describe(`appeal notices to the person depicted (${backend.name})`, () => {
    let db: TestDatabase;
    let dispatcher: NotificationDispatcher;
    let platform: { platformId: string; keyId: string };
    let host: string;
    let first: StaffActor;
    let second: StaffActor;
    const mail = new TestMailServer();
    const keys = testKeys();

    async function senior(): Promise<StaffActor> {
      const username = `senior${randomBytes(4).toString('hex')}`;
      const user = await createStaffUser(db.database, systemClock, { username, role: 'senior', password: 'correct horse battery staple' }, 'test');
      return { userId: user.id, actor: `staff:${username}`, seesSenior: true };
    }

    /** A request about one address on the platform, confirmed for removal by `first`, with an uploader's appeal open. */
    async function appealedItem(options: { optIn: boolean }) {
      const url = `https://${host}/p/${randomBytes(4).toString('hex')}`;
      const request = validRequest(systemClock, { items: [{ url, hashes: { md5: randomBytes(16).toString('hex') } }], ...(options.optIn ? { notify: { email: true } } : {}) } as never);
      const submitted = await submitRequest(db.database, keys, systemClock, request);
      const itemId = submitted.items[0].id;
      expect((await decideItem(db.database, systemClock, first, itemId, { decision: 'confirm' })).kind).toBe('ok');
      const opened = await openAppeal(db.database, keys, systemClock, platform, itemId, UPLOADER_WORDS, 72);
      if (opened.kind !== 'ok') throw new Error(JSON.stringify(opened));
      return { submitted, url, appealId: opened.value.appealId };
    }

    const appealNotices = (caseId: string) =>
      db.database.db.selectFrom('notifications').select(['kind', 'channel', 'audience']).where('case_id', '=', caseId).where('kind', 'like', 'appeal_%').orderBy('created_at').execute();

    function expectNothingOfTheUploader(raw: string, caseUrl: string) {
      for (const secret of [UPLOADER_WORDS, 'UPLOADER-WORDS', caseUrl, host, 'pics', platform.keyId, first.actor, second.actor, PII.statement]) expect(raw).not.toContain(secret);
    }

    beforeAll(async () => {
      db = await backend.create();
      await mail.start();
      const sender = new MailSender({ smtpUrl: mail.url, from: 'Case updates <no-reply@help.example.org>', timeoutMs: 3_000 });
      dispatcher = new NotificationDispatcher({
        database: db.database,
        clock: systemClock,
        keys,
        settings: { publicUrl: 'https://help.example.org', staffRoutes: [], maxAttempts: 4, emailConfigured: true },
        mail: sender,
        outbound: { allowedHosts: parseAllowList(['127.0.0.1']).allowList, allowHttp: true },
        timeoutMs: 3_000,
        pollMs: 50,
      });
      platform = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
      host = `h${randomBytes(6).toString('hex')}.pics.example`;
      expect(await changePlatformHosts(db.database, systemClock, platform.platformId, { add: [host] }, 'test')).toMatchObject({ kind: 'ok' });
      first = await senior();
      second = await senior();
    });
    afterAll(async () => {
      await dispatcher?.stop();
      await mail.stop();
      await db?.drop();
    });

    it('tells a person who opted in that the removal is being looked at again, then that it stays down', async () => {
      const { submitted, url, appealId } = await appealedItem({ optIn: true });
      expect(await appealNotices(submitted.caseId)).toEqual([{ kind: 'appeal_received', channel: 'email', audience: 'requester' }]);
      const before = mail.received.length;
      await dispatcher.drain();
      const received = mail.received.slice(before).filter((m) => m.to.includes(PII.email));
      const opened = received.find((m) => m.text.includes('looked at again'));
      expect(opened, JSON.stringify(received.map((m) => m.text))).toBeDefined();
      expect(opened!.text).toContain(`part 1 of case ${submitted.caseNumber}`);
      expect(opened!.text).toContain('A different person will decide.');
      expectNothingOfTheUploader(opened!.raw, url);
      expect(opened!.raw).not.toContain(submitted.pin);

      expect((await decideAppeal(db.database, systemClock, second, appealId, { decision: 'reject', reason: 'The person shown did not agree to this.' })).kind).toBe('ok');
      await dispatcher.drain();
      const decided = mail.received.slice(before).find((m) => m.to.includes(PII.email) && m.text.includes('We looked again'));
      expect(decided?.text).toContain('The decision stays the same: it stays down.');
      expectNothingOfTheUploader(decided!.raw, url);
      expect(decided!.raw).not.toContain('did not agree');
      expect((await appealNotices(submitted.caseId)).map((n) => n.kind)).toEqual(['appeal_received', 'appeal_decided']);
    });

    it('says so when a different person decides the content may go back up', async () => {
      const { url, appealId } = await appealedItem({ optIn: true });
      expect((await decideAppeal(db.database, systemClock, second, appealId, { decision: 'uphold', reason: 'The uploader showed they are the person in the photo.' })).kind).toBe('ok');
      const before = mail.received.length;
      await dispatcher.drain();
      const decided = mail.received.slice(before).find((m) => m.to.includes(PII.email) && m.text.includes('We looked again'));
      expect(decided?.text).toContain('A different person decided that it may go back up.');
      expect(decided?.text).toContain('you can send a new request');
      expectNothingOfTheUploader(decided!.raw, url);
      expect(decided!.raw).not.toContain('the person in the photo');
    });

    it('queues nothing about the appeal for a person who did not ask to be told', async () => {
      const { submitted, appealId } = await appealedItem({ optIn: false });
      expect((await decideAppeal(db.database, systemClock, second, appealId, { decision: 'reject', reason: 'It stays down.' })).kind).toBe('ok');
      expect(await appealNotices(submitted.caseId)).toEqual([]);
    });
  });
}
