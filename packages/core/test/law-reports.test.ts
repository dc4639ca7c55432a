import { describe, expect, it } from 'vitest';
import { dsaReportCsv, dsaTransparencyReport, HOUR_MS, statementOfReasons, toTransparencyDatabase, TRANSPARENCY_DATABASE_COUNTRIES } from '../src/index.ts';

const decidedAt = new Date('2026-06-02T10:00:00Z');
const facts = { itemId: 'item-1', itemState: 'removed', decidedAt, removedAt: new Date('2026-06-03T09:00:00Z'), jurisdiction: 'EU', foundByHashMatching: false, decidedAutomatically: false, mediaType: 'image', appealDecidedWithinHours: 168 };

describe('toTransparencyDatabase', () => {
  it('maps a removal on notice to the API’s fields', () => {
    const statement = toTransparencyDatabase(statementOfReasons(facts), { contentDate: new Date('2026-06-01T23:59:00Z'), minor: false });
    expect(statement).toMatchObject({
      decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'],
      decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
      content_type: ['CONTENT_TYPE_IMAGE'],
      category: 'STATEMENT_CATEGORY_CYBER_VIOLENCE',
      category_specification: ['KEYWORD_NON_CONSENSUAL_IMAGE_SHARING'],
      content_date: '2026-06-01',
      application_date: '2026-06-03', // the removal, not the decision
      source_type: 'SOURCE_ARTICLE_16',
      automated_detection: 'No',
      automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED',
      puid: 'item-1',
    });
    expect(statement.illegal_content_legal_ground).toMatch(/Digital Services Act/);
    expect(statement.territorial_scope).toEqual(TRANSPARENCY_DATABASE_COUNTRIES);
    expect(statement).not.toHaveProperty('content_type_other');
    expect(statement).not.toHaveProperty('source_identity');
  });

  it('marks a copy found by hash matching as own initiative, automated when no person decided', () => {
    const copy = toTransparencyDatabase(statementOfReasons({ ...facts, removedAt: undefined, foundByHashMatching: true, decidedAutomatically: true, mediaType: null }), { contentDate: decidedAt, minor: false });
    expect(copy).toMatchObject({ source_type: 'SOURCE_VOLUNTARY', automated_detection: 'Yes', automated_decision: 'AUTOMATED_DECISION_FULLY', application_date: '2026-06-02', content_type: ['CONTENT_TYPE_OTHER'] });
    expect(copy.content_type_other).toBeTruthy();
  });

  it('files imagery of a minor as child sexual abuse material, never as adult non-consensual sharing', () => {
    expect(toTransparencyDatabase(statementOfReasons({ ...facts, mediaType: 'video' }), { contentDate: decidedAt, minor: true })).toMatchObject({
      category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
      category_specification: ['KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL'],
      content_type: ['CONTENT_TYPE_VIDEO'],
    });
  });
});

describe('dsaTransparencyReport', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const t = (hours: number) => new Date(from.getTime() + hours * HOUR_MS);
  const report = dsaTransparencyReport({
    from,
    to: new Date('2027-01-01T00:00:00Z'),
    notices: [
      { caseId: 'A', receivedAt: t(0), state: 'removed', decidedAt: t(2), minor: false },
      { caseId: 'A', receivedAt: t(0), state: 'declined', decidedAt: t(3), minor: false },
      { caseId: 'B', receivedAt: t(10), state: 'confirmed', decidedAt: t(16), minor: true },
      { caseId: 'C', receivedAt: t(20), state: 'declined', decidedAt: t(21), minor: false },
    ],
    ownInitiative: [
      { state: 'removed', decidedAutomatically: true, minor: false },
      { state: 'confirmed', decidedAutomatically: false, minor: true },
      { state: 'pending', decidedAutomatically: false, minor: false },
    ],
    complaints: [
      { openedAt: t(30), state: 'upheld', decidedAt: t(40) },
      { openedAt: t(50), state: 'rejected', decidedAt: t(70) },
      { openedAt: t(60), state: 'open' },
    ],
    notifierSuspensions: 1,
  });
  const row = (section: string, field: string) => report.rows.find((r) => r.section === section && r.field.startsWith(field));

  it('counts notices per request and by type of illegal content, with the median time to act', () => {
    expect(row('1.3', 'Notices received')?.value).toBe(3);
    expect(row('1.3', 'Notices received, type of alleged illegal content: Cyber')?.value).toBe(2);
    expect(row('1.3', 'Notices received, type of alleged illegal content: Protection')?.value).toBe(1);
    expect(row('1.3', 'Actions taken on the basis of the law')?.value).toBe(2);
    expect(row('1.3', 'Median time to take action')?.value).toBe(4); // 2 h and 6 h
    expect(row('1.3', 'Notices whose items were all declined')?.value).toBe(1);
  });

  it('counts own-initiative removals, complaints and suspensions, and says what it does not hold', () => {
    expect(row('1.4', 'Own-initiative actions: removals')?.value).toBe(2);
    expect(row('1.4', 'Own-initiative actions decided by automated means')?.value).toBe(1);
    expect(row('1.5', 'Complaints received')?.value).toBe(3);
    expect(row('1.5', 'Decisions reversed')?.value).toBe(1);
    expect(row('1.5', 'Median time to decide')?.value).toBe(15);
    expect(row('1.5', 'Suspensions for frequently submitting manifestly unfounded notices')?.value).toBe(1);
    expect(row('1.2', 'Orders')).toMatchObject({ status: 'not_held', value: null });
    expect(row('1.7', 'Human resources')).toMatchObject({ status: 'not_applicable' });
  });

  it('writes RFC 4180 CSV: a header, CRLF line ends, quoted fields where needed', () => {
    const csv = dsaReportCsv(report);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,provision,field,value,status,note');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(report.rows.length + 2);
    expect(csv).toContain('"Art. 42(2)(a), (b)"');
    expect(csv).toContain('1.5,Art. 15(1)(d),Decisions reversed (complaint upheld),1,filled,');
  });
});
