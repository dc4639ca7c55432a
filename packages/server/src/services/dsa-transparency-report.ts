import { dsaTransparencyReport, type DsaTransparencyReport } from '@takedown/core';
import type { OpenDatabase } from '../store/database.ts';

/**
 * Which cases a DSA transparency report covers: those whose recorded jurisdiction is the one given (`EU` by
 * default: the notices made under the Digital Services Act), or every case (`all`).
 */
export type DsaReportScope = { jurisdiction: string } | 'all';

/**
 * The DSA transparency report for [from, to) (Art. 15(1) and 24(1), laid out after Implementing Regulation (EU)
 * 2024/2835): loads the notices received, the known copies found, the appeals opened and the notifier suspensions
 * of the period, and lets core fill the rows. Demo cases are left out. Reads only: nothing of a person goes in.
 */
export async function dsaTransparencyReportFor(database: OpenDatabase, from: Date, to: Date, scope: DsaReportScope = { jurisdiction: 'EU' }): Promise<DsaTransparencyReport> {
  return database.transaction(async (tx) => {
    let items = tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .leftJoin('platform_item_content as copy', (join) => join.onRef('copy.item_id', '=', 'items.id').on('copy.relation', '=', 'copy'))
      .select(['items.id', 'items.case_id', 'items.state', 'items.received_at', 'items.decided_at', 'items.decided_by', 'cases.under_18_when_made', 'copy.item_id as copy_of'])
      .where('items.received_at', '>=', from)
      .where('items.received_at', '<', to)
      .where('cases.demo', '=', false);
    if (scope !== 'all') items = items.where('cases.jurisdiction', '=', scope.jurisdiction);
    const rows = await items.execute();
    // An item can be linked to several contents; it counts once.
    const seen = new Set<string>();
    const unique = rows.filter((row) => (seen.has(row.id) ? false : (seen.add(row.id), true)));
    const notices = unique
      .filter((row) => row.copy_of === null)
      .map((row) => ({ caseId: row.case_id, receivedAt: row.received_at, state: row.state, minor: row.under_18_when_made, ...(row.decided_at && { decidedAt: row.decided_at }) }));
    const ownInitiative = unique.filter((row) => row.copy_of !== null).map((row) => ({ state: row.state, decidedAutomatically: row.decided_by === 'system', minor: row.under_18_when_made }));

    let appeals = tx
      .selectFrom('item_appeals')
      .innerJoin('cases', 'cases.id', 'item_appeals.case_id')
      .select(['item_appeals.opened_at', 'item_appeals.state', 'item_appeals.decided_at'])
      .where('item_appeals.opened_at', '>=', from)
      .where('item_appeals.opened_at', '<', to)
      .where('cases.demo', '=', false);
    if (scope !== 'all') appeals = appeals.where('cases.jurisdiction', '=', scope.jurisdiction);
    const complaints = (await appeals.execute()).map((a) => ({ openedAt: a.opened_at, state: a.state, ...(a.decided_at && { decidedAt: a.decided_at }) }));

    let suspensions = tx
      .selectFrom('audit_events')
      .innerJoin('cases', 'cases.id', 'audit_events.case_id')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('audit_events.action', '=', 'notifier.suspended')
      .where('audit_events.at', '>=', from)
      .where('audit_events.at', '<', to);
    if (scope !== 'all') suspensions = suspensions.where('cases.jurisdiction', '=', scope.jurisdiction);
    const { count } = await suspensions.executeTakeFirstOrThrow();

    return dsaTransparencyReport({ from, to, notices, ownInitiative, complaints, notifierSuspensions: Number(count) });
  });
}
