import type { StatementOfReasons } from './statement-of-reasons.ts';

/**
 * A statement of reasons in the shape the DSA Transparency Database API takes (Art. 24(5) DSA:
 * `POST https://transparency.dsa.ec.europa.eu/api/v1/statement`). Field names and values are the API's own, as its
 * published field list and its validation rules give them (the Commission's `transparency-database` repository:
 * `app/Http/Requests/StatementStoreRequest.php`, `app/Models/Statement.php`, `resources/markdown/api-documentation.md`).
 * Only the fields takedown fills are typed; `docs/dsa-reports.md` maps every field of the API.
 */
export interface TransparencyDatabaseStatement {
  decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'];
  decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT';
  /** ≤ 500 characters. */
  illegal_content_legal_ground: string;
  /** ≤ 2000 characters. */
  illegal_content_explanation: string;
  content_type: ('CONTENT_TYPE_IMAGE' | 'CONTENT_TYPE_VIDEO' | 'CONTENT_TYPE_OTHER')[];
  /** Required by the API when content_type holds CONTENT_TYPE_OTHER; ≤ 500 characters. */
  content_type_other?: string;
  category: 'STATEMENT_CATEGORY_CYBER_VIOLENCE' | 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS';
  category_specification: ('KEYWORD_NON_CONSENSUAL_IMAGE_SHARING' | 'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL')[];
  /** EU/EEA country codes where the decision applies: a removal applies everywhere, so all of them. */
  territorial_scope: string[];
  /** YYYY-MM-DD: when the content was posted, or the earliest date takedown knew it (see `contentDate`). */
  content_date: string;
  /** YYYY-MM-DD: when the decision took effect. */
  application_date: string;
  /** ≤ 5000 characters. */
  decision_facts: string;
  source_type: 'SOURCE_ARTICLE_16' | 'SOURCE_VOLUNTARY';
  automated_detection: 'Yes' | 'No';
  automated_decision: 'AUTOMATED_DECISION_FULLY' | 'AUTOMATED_DECISION_NOT_AUTOMATED';
  /** Unique per platform; letters, digits, `-` and `_` only, ≤ 500 characters. */
  puid: string;
}

/**
 * The EU and EEA country codes the API accepts in `territorial_scope` (its `EuropeanCountriesService::
 * EUROPEAN_COUNTRY_CODES`: the 27 Member States with Iceland, Liechtenstein and Norway).
 */
export const TRANSPARENCY_DATABASE_COUNTRIES: readonly string[] = Object.freeze([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE',
  'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** What the statement of reasons itself does not hold, and the API asks for. */
export interface TransparencyDatabaseContext {
  /**
   * When the content was posted. takedown rarely knows it: give the earliest date takedown knew the content
   * existed (the notice's receipt, or when the platform declared it to the content index). The content was
   * posted on or before that day; the platform can replace it with its own upload date.
   */
  contentDate: Date;
  /** The request said the person shown was under 18 when the imagery was made: it is child sexual abuse material. */
  minor: boolean;
}

/** YYYY-MM-DD in UTC, as the API's date fields take it. */
const day = (iso: string | Date) => (typeof iso === 'string' ? iso : iso.toISOString()).slice(0, 10);

/** Cut to the API's limit on a character boundary; the texts we generate stay well under it, this is a guard. */
function limit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Maps a statement of reasons (DSA Art. 17, decision 017) to the Transparency Database's fields. Nothing of the
 * case goes in, as the API forbids personal data: no notifier (`source_identity` is left out), no address of the
 * content, no names. `puid` is the item's id, the same one the platform received in the removal webhook.
 * @example toTransparencyDatabase(statementOfReasons(facts), { contentDate: receivedAt, minor: false }).category // 'STATEMENT_CATEGORY_CYBER_VIOLENCE'
 */
export function toTransparencyDatabase(statement: StatementOfReasons, context: TransparencyDatabaseContext): TransparencyDatabaseStatement {
  const type = statement.facts.contentType;
  const contentType: TransparencyDatabaseStatement['content_type'] = type === 'image' ? ['CONTENT_TYPE_IMAGE'] : type === 'video' ? ['CONTENT_TYPE_VIDEO'] : ['CONTENT_TYPE_OTHER'];
  return {
    decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'],
    decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
    illegal_content_legal_ground: limit(statement.legalGround.law, 500),
    illegal_content_explanation: limit(statement.legalGround.explanation, 2000),
    content_type: contentType,
    ...(contentType[0] === 'CONTENT_TYPE_OTHER' && { content_type_other: 'An image or a video; which one was not recorded.' }),
    // The API's 2025 categories: intimate images shared without consent are cyber violence, and the keyword
    // excludes content depicting minors, which goes under protection of minors as child sexual abuse material.
    category: context.minor ? 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS' : 'STATEMENT_CATEGORY_CYBER_VIOLENCE',
    category_specification: [context.minor ? 'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL' : 'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING'],
    territorial_scope: [...TRANSPARENCY_DATABASE_COUNTRIES],
    content_date: day(context.contentDate),
    application_date: day(statement.decision.appliedAt ?? statement.decision.decidedAt),
    decision_facts: limit(`${statement.decision.description} ${statement.facts.description}`, 5000),
    // A copy the known-copy sweep found was not named in any notice: the provider acted on its own initiative.
    source_type: statement.automatedMeans.usedInDetection ? 'SOURCE_VOLUNTARY' : 'SOURCE_ARTICLE_16',
    automated_detection: statement.automatedMeans.usedInDetection ? 'Yes' : 'No',
    automated_decision: statement.automatedMeans.usedInDecision ? 'AUTOMATED_DECISION_FULLY' : 'AUTOMATED_DECISION_NOT_AUTOMATED',
    puid: statement.itemId,
  };
}
