import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { REQUEST_LANGUAGES } from '@takedown/core';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, REQUESTER_NOTICE_KINDS, renderRequesterNotice, type RequesterNotice } from '../../src/notifications/requester-messages.ts';

/** The argument names a message uses, with nested ones (inside plural and select branches). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if ('value' in element && typeof element.value === 'string') into.add(element.value);
    if ('options' in element) for (const option of Object.values(element.options)) argumentsOf(option.value, into);
  }
  return into;
}

const SAMPLES: RequesterNotice[] = [
  { kind: 'receipt', data: { caseNumber: 'TD-7KQ4-M2XP', items: 3, deadline: '2026-03-12T09:00:00.000Z' } },
  { kind: 'item_confirmed', data: { caseNumber: 'TD-7KQ4-M2XP', position: 2 } },
  { kind: 'item_declined', data: { caseNumber: 'TD-7KQ4-M2XP', position: 2 } },
  { kind: 'case_decided', data: { caseNumber: 'TD-7KQ4-M2XP', outcome: 'confirmed', items: 3 } },
  { kind: 'case_decided', data: { caseNumber: 'TD-7KQ4-M2XP', outcome: 'declined', items: 1 } },
  { kind: 'item_removed', data: { caseNumber: 'TD-7KQ4-M2XP', position: 2, at: '2026-03-11T17:45:00.000Z' } },
  { kind: 'appeal_received', data: { caseNumber: 'TD-7KQ4-M2XP', position: 2 } },
  { kind: 'appeal_decided', data: { caseNumber: 'TD-7KQ4-M2XP', position: 2, outcome: 'changed' } },
  { kind: 'notifier_warned', data: { caseNumber: 'TD-7KQ4-M2XP' } },
  { kind: 'notifier_suspended', data: { caseNumber: 'TD-7KQ4-M2XP', until: '2026-04-10T09:00:00.000Z' } },
  { kind: 'draft_expiring', data: { at: '2026-03-11T17:45:00.000Z' } },
  { kind: 'pin_reset', data: { caseNumber: 'TD-7KQ4-M2XP', code: '1234 5678', minutes: 30 } },
];

describe('messages to the person who asked, in every language', () => {
  it('every language has every key of the English catalogue, no other, each a valid ICU message with the same arguments', () => {
    const english = CATALOGUES.en;
    for (const language of REQUEST_LANGUAGES) {
      const catalogue = CATALOGUES[language];
      expect(Object.keys(catalogue).sort(), `keys of ${language}`).toEqual(Object.keys(english).sort());
      for (const [key, message] of Object.entries(catalogue)) {
        expect(message.trim(), `${language}.${key} is empty`).not.toBe('');
        const expected = argumentsOf(parse(english[key as keyof typeof english]));
        expect(argumentsOf(parse(message)), `arguments of ${language}.${key}`).toEqual(expected);
      }
    }
  });

  it('renders every kind in every language and zone, with dates in the reader\'s words and clock, and never a word that names the subject', () => {
    expect([...new Set(SAMPLES.map((s) => s.kind))].sort()).toEqual([...REQUESTER_NOTICE_KINDS].sort());
    const links = { status: 'https://help.example.org/status', recover: 'https://help.example.org/recover' };
    for (const language of REQUEST_LANGUAGES) {
      for (const sample of SAMPLES) {
        const { subject, text } = renderRequesterNotice(sample, { language, timeZone: 'America/New_York', links });
        expect(subject).toBe(CATALOGUES[language].subject);
        expect(text).not.toMatch(/\{|\}|intimate|nude|sexual|takedown|intim|desnud|nud/i);
        if ('caseNumber' in sample.data) expect(text).toContain('TD-7KQ4-M2XP');
      }
    }
    const removed = (language: string, timeZone?: string) => renderRequesterNotice(SAMPLES.find((s) => s.kind === 'item_removed')!, { language, timeZone, links }).text.split('\n\n')[1];
    expect(removed('en', 'America/New_York')).toBe('Part 2 of case TD-7KQ4-M2XP was taken down on March 11, 2026 at 1:45 PM EDT.');
    expect(removed('de', 'Europe/Berlin')).toBe('Teil 2 von Fall TD-7KQ4-M2XP wurde am 11. März 2026 um 18:45 MEZ entfernt.');
    expect(removed('fr')).toMatch(/le 11 mars 2026 .*17:45 UTC\.$/);
    // The operator's own subject replaces the neutral one everywhere.
    expect(renderRequesterNotice(SAMPLES[0], { language: 'es', links, subject: 'Your account' }).subject).toBe('Your account');
  });
});
