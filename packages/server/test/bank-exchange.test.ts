import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHashList, parseHashList } from '../src/platform/hash-list.ts';
import { addBankHashes, ensureBank, exportBankHashes, removeBankHashes } from '../src/services/platform-banks.ts';
import { fixtureCases, fixtureText, readAsPythonThreatExchange } from '@takedown/testing/hash-lists';
import { backends, type TestDatabase } from './helpers/backends.ts';

const URL_LINE = 'url https://videos.example/watch?v=abc';

for (const backend of backends) {
  describe(`bank import and export with python-threatexchange's files (${backend.name})`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await backend.create();
    });
    afterAll(async () => db?.drop());

    /** Imports a list as `takedown bank import` does: additions, then the list's removals. */
    async function importList(bank: string, text: string, format?: string) {
      const report = parseHashList(text, format ?? (text.trimStart().startsWith('{') ? 'stopncii' : text.startsWith('signal_type,') ? 'threatexchange-csv' : 'threatexchange'));
      expect(report.rejected).toEqual([]);
      await ensureBank(db.database, systemClock, bank, 'test');
      await addBankHashes(db.database, systemClock, bank, report.hashes, 'test');
      if (report.removals.length > 0) await removeBankHashes(db.database, systemClock, bank, report.removals, 'test');
    }

    it('holds every fixture as expected.json says', async () => {
      for (const [i, c] of fixtureCases.entries()) {
        const bank = `fixture-${i}`;
        for (const file of c.files) await importList(bank, fixtureText(file));
        const { text } = formatHashList(await exportBankHashes(db.database, bank), 'threatexchange');
        const held = readAsPythonThreatExchange(text).map((s) => (s.type === 'vpdq' ? `vpdq:${JSON.stringify(s.frames)}` : `${s.type}:${s.signal}`));
        expect(held.sort(), c.name).toEqual(c.present.map((p) => (p.type === 'vpdq' ? `vpdq:${JSON.stringify(p.frames)}` : `${p.type}:${p.signal}`)).sort());
      }
    });

    it('exports a bank holding every signal type so that python-threatexchange reads all of it, and re-imports it losslessly', async () => {
      await importList('every-type', `${fixtureText('file-exchange.txt')}${URL_LINE}\n`);
      const exported = await exportBankHashes(db.database, 'every-type');
      expect(new Set(exported.map((h) => h.signal))).toEqual(new Set(['pdq', 'md5', 'sha256', 'vpdq', 'url']));
      const { text, leftOut } = formatHashList(exported, 'threatexchange');
      expect(leftOut).toEqual({});
      expect(readAsPythonThreatExchange(text)).toHaveLength(exported.length);
      for (const format of ['threatexchange', 'threatexchange-csv']) {
        const bank = `again-${format}`;
        await importList(bank, formatHashList(exported, format).text, format);
        expect(await exportBankHashes(db.database, bank)).toEqual(exported);
      }
    });
  });
}
