import { lookupJurisdiction, profileFor, statementOfReasons, toTransparencyDatabase, type JurisdictionConfig, type StatementOfReasons, type TransparencyDatabaseStatement } from '@takedown/core';
import type { OpenDatabase } from '../store/database.ts';
import { platformHostsItem } from '../store/item-hosting.ts';

export type StatementResult =
  | { kind: 'ok'; value: StatementOfReasons & { appeals: { appealId: string; state: string; openedAt: Date; dueAt: Date; decidedAt?: Date; reason?: string }[] } }
  /** Not hosted by this platform, or no such item: the same answer. */
  | { kind: 'not_found' }
  | { kind: 'not_removed'; itemState: string };

/** Where a platform reads an item's statement of reasons (the removal webhook carries this reference). */
export function statementPath(itemId: string): string {
  return `/v1/items/${itemId}/statement`;
}

/**
 * The statement of reasons for a removal (DSA Art. 17), for the platform that hosts the item, built from the
 * decision: the item's state and decision time, its jurisdiction, whether hash matching found it (a copy the
 * sweep found) and whether it was decided without a person (the sweep's automatic confirmation of an exact
 * copy). Nothing of the case or of who asked goes in. The appeals on the item follow, with their outcomes.
 */
export async function statementForPlatform(
  database: OpenDatabase,
  platformId: string,
  itemId: string,
  appealDecidedWithinHours: number,
  /** The deployment's profiles: a configured legal ground names the law (decisions/020). */
  jurisdictions?: JurisdictionConfig,
): Promise<StatementResult> {
  return database.transaction(async (tx): Promise<StatementResult> => {
    if (!(await platformHostsItem(tx, platformId, itemId))) return { kind: 'not_found' };
    const item = await tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .select(['items.id', 'items.state', 'items.decided_at', 'items.decided_by', 'items.removed_at', 'items.media_type', 'cases.jurisdiction'])
      .where('items.id', '=', itemId)
      .executeTakeFirstOrThrow();
    if ((item.state !== 'confirmed' && item.state !== 'removed') || item.decided_at === null) return { kind: 'not_removed', itemState: item.state };
    const copy = await tx.selectFrom('platform_item_content').select('item_id').where('item_id', '=', itemId).where('relation', '=', 'copy').executeTakeFirst();
    const appeals = await tx
      .selectFrom('item_appeals')
      .select(['id', 'state', 'opened_at', 'due_at', 'decided_at', 'decision_reason'])
      .where('item_id', '=', itemId)
      .where('platform_id', '=', platformId)
      .orderBy('opened_at')
      .execute();
    const statement = statementOfReasons({
      itemId,
      itemState: item.state,
      decidedAt: item.decided_at,
      removedAt: item.removed_at ?? undefined,
      jurisdiction: item.jurisdiction,
      legalGround: configuredLegalGround(item.jurisdiction, jurisdictions),
      foundByHashMatching: copy !== undefined,
      decidedAutomatically: item.decided_by === 'system',
      mediaType: item.media_type,
      appealDecidedWithinHours,
    });
    return {
      kind: 'ok',
      value: {
        ...statement,
        appeals: appeals.map((a) => ({ appealId: a.id, state: a.state, openedAt: a.opened_at, dueAt: a.due_at, decidedAt: a.decided_at ?? undefined, reason: a.decision_reason ?? undefined })),
      },
    };
  });
}

/** The statements of reasons for the removals decided in a period, in the DSA Transparency Database's shape. */
export interface TransparencyDatabaseExport {
  from: Date;
  to: Date;
  statements: TransparencyDatabaseStatement[];
}

/**
 * Every removal decided in [from, to) (items confirmed or removed, demo cases left out), as statements of reasons
 * in the shape the DSA Transparency Database API takes (Art. 24(5)), ordered by decision time. Built exactly as the
 * platform's `GET /v1/items/:id/statement` is (core's `statementOfReasons`), then mapped (core's
 * `toTransparencyDatabase`); the content date is the earliest day takedown knew the content: the notice's receipt
 * or, if earlier, when a platform declared it to the content index.
 */
export async function transparencyDatabaseExport(database: OpenDatabase, from: Date, to: Date, appealDecidedWithinHours: number): Promise<TransparencyDatabaseExport> {
  return database.transaction(async (tx) => {
    // The removals decided in the period; the same filter selects their content links below, as a subquery
    // rather than a list of ids, so a year of removals stays one statement within the parameter limit.
    const decidedInPeriod = tx
      .selectFrom('items')
      .innerJoin('cases', 'cases.id', 'items.case_id')
      .where('items.state', 'in', ['confirmed', 'removed'])
      .where('items.decided_at', '>=', from)
      .where('items.decided_at', '<', to)
      .where('cases.demo', '=', false);
    const items = await decidedInPeriod
      .select(['items.id', 'items.state', 'items.received_at', 'items.decided_at', 'items.decided_by', 'items.removed_at', 'items.media_type', 'cases.jurisdiction', 'cases.under_18_when_made'])
      .orderBy('items.decided_at')
      .orderBy('items.id')
      .execute();
    const links = await tx
      .selectFrom('platform_item_content')
      .innerJoin('platform_content', 'platform_content.ref', 'platform_item_content.content_ref')
      .select(['platform_item_content.item_id', 'platform_item_content.relation', 'platform_content.registered_at'])
      .where('platform_item_content.item_id', 'in', decidedInPeriod.select('items.id'))
      .execute();
    const copies = new Set(links.filter((l) => l.relation === 'copy').map((l) => l.item_id));
    const firstSeen = new Map<string, Date>();
    for (const link of links) {
      const seen = firstSeen.get(link.item_id);
      if (!seen || link.registered_at < seen) firstSeen.set(link.item_id, link.registered_at);
    }
    const statements = items.map((item) => {
      const statement = statementOfReasons({
        itemId: item.id,
        itemState: item.state,
        decidedAt: item.decided_at!,
        removedAt: item.removed_at ?? undefined,
        jurisdiction: item.jurisdiction,
        foundByHashMatching: copies.has(item.id),
        decidedAutomatically: item.decided_by === 'system',
        mediaType: item.media_type,
        appealDecidedWithinHours,
      });
      const seen = firstSeen.get(item.id);
      return toTransparencyDatabase(statement, { contentDate: seen && seen < item.received_at ? seen : item.received_at, minor: item.under_18_when_made });
    });
    return { from, to, statements };
  });
}

function configuredLegalGround(code: string, jurisdictions?: JurisdictionConfig): string | undefined {
  return lookupJurisdiction(code, jurisdictions).ok ? profileFor(code, jurisdictions).legalGround : undefined;
}
