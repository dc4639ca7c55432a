/**
 * The body of one statement of reasons as the DSA Transparency Database API accepts it (`POST /api/v1/statement`),
 * written by hand from its published field list and validation rules — the Commission's `transparency-database`
 * repository, `app/Http/Requests/StatementStoreRequest.php` (rules), `app/Models/Statement.php` (allowed values),
 * `resources/markdown/api-documentation.md` (which fields are required), as stored on 2026-06-24 — not from our
 * own code, so that a test can catch our mapping drifting from the API. Every field the API knows is here, with
 * its limits; none other is allowed. The API's conditional rules are encoded as two variants of `decision_ground`.
 */
import { Type, type TSchema } from 'typebox';

const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const text = (max: number) => Type.String({ maxLength: max });
const date = (min: string, max: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${min} to ${max}` });

export const DECISION_VISIBILITIES = [
  'DECISION_VISIBILITY_CONTENT_REMOVED',
  'DECISION_VISIBILITY_CONTENT_DISABLED',
  'DECISION_VISIBILITY_CONTENT_DEMOTED',
  'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_LABELLED',
  'DECISION_VISIBILITY_OTHER',
] as const;
const DECISION_MONETARIES = ['DECISION_MONETARY_SUSPENSION', 'DECISION_MONETARY_TERMINATION', 'DECISION_MONETARY_OTHER'];
const DECISION_PROVISIONS = ['DECISION_PROVISION_PARTIAL_SUSPENSION', 'DECISION_PROVISION_TOTAL_SUSPENSION', 'DECISION_PROVISION_PARTIAL_TERMINATION', 'DECISION_PROVISION_TOTAL_TERMINATION'];
const DECISION_ACCOUNTS = ['DECISION_ACCOUNT_SUSPENDED', 'DECISION_ACCOUNT_TERMINATED'];
const ACCOUNT_TYPES = ['ACCOUNT_TYPE_BUSINESS', 'ACCOUNT_TYPE_PRIVATE'];
export const CONTENT_TYPES = ['CONTENT_TYPE_APP', 'CONTENT_TYPE_AUDIO', 'CONTENT_TYPE_IMAGE', 'CONTENT_TYPE_PRODUCT', 'CONTENT_TYPE_SYNTHETIC_MEDIA', 'CONTENT_TYPE_TEXT', 'CONTENT_TYPE_VIDEO', 'CONTENT_TYPE_OTHER'];
export const CATEGORIES = [
  'STATEMENT_CATEGORY_ANIMAL_WELFARE',
  'STATEMENT_CATEGORY_CONSUMER_INFORMATION',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN',
  'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS',
  'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
  'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS',
  'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
  'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE',
  'STATEMENT_CATEGORY_OTHER_VIOLATION_TC',
  'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
  'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
  'STATEMENT_CATEGORY_SCAMS_AND_FRAUD',
  'STATEMENT_CATEGORY_SELF_HARM',
  'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS',
  'STATEMENT_CATEGORY_VIOLENCE',
];
/** The keywords of `category_specification` that concern intimate images and minors (the API knows 70; only these can come from takedown). */
export const KEYWORDS = [
  'KEYWORD_ADULT_SEXUAL_MATERIAL',
  'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL',
  'KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE',
  'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING',
  'KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN',
  'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE',
  'KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN',
  'KEYWORD_OTHER',
];
/** `EuropeanCountriesService::EUROPEAN_COUNTRY_CODES`. */
export const COUNTRIES = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
const SOURCE_TYPES = ['SOURCE_ARTICLE_16', 'SOURCE_TRUSTED_FLAGGER', 'SOURCE_TYPE_OTHER_NOTIFICATION', 'SOURCE_VOLUNTARY'];
const AUTOMATED_DECISIONS = ['AUTOMATED_DECISION_FULLY', 'AUTOMATED_DECISION_PARTIALLY', 'AUTOMATED_DECISION_NOT_AUTOMATED'];

/** Fields common to both grounds. Optional ones may be absent or, where the API says nullable, null. */
const common = {
  content_id: Type.Optional(Type.Object({ 'EAN-13': Type.String({ pattern: '^[0-9]{13}$' }) })),
  content_id_ean: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{13}$' }), Type.Null()])),
  // At least one of the four decision fields is required (required_without_all); takedown always gives visibility.
  decision_visibility: Type.Array(oneOf(DECISION_VISIBILITIES), { minItems: 1 }),
  decision_visibility_other: Type.Optional(text(500)),
  decision_monetary: Type.Optional(Type.Union([oneOf(DECISION_MONETARIES), Type.Null()])),
  decision_monetary_other: Type.Optional(text(500)),
  decision_provision: Type.Optional(Type.Union([oneOf(DECISION_PROVISIONS), Type.Null()])),
  decision_account: Type.Optional(Type.Union([oneOf(DECISION_ACCOUNTS), Type.Null()])),
  account_type: Type.Optional(Type.Union([oneOf(ACCOUNT_TYPES), Type.Null()])),
  category_specification: Type.Optional(Type.Array(oneOf(KEYWORDS))),
  category_specification_other: Type.Optional(text(500)),
  decision_ground_reference_url: Type.Optional(Type.Union([Type.String({ maxLength: 500, pattern: '^https?://' }), Type.Null()])),
  content_type: Type.Array(oneOf(CONTENT_TYPES), { minItems: 1 }),
  content_type_other: Type.Optional(text(500)),
  category: oneOf(CATEGORIES),
  category_addition: Type.Optional(Type.Array(oneOf(CATEGORIES))),
  // The documentation calls it required; the rules allow null. We always send it.
  territorial_scope: Type.Array(oneOf(COUNTRIES), { minItems: 1 }),
  content_language: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()])),
  content_date: date('2000-01-01', '2038-01-01'),
  application_date: date('2020-01-01', '2038-01-01'),
  end_date_account_restriction: Type.Optional(Type.Union([date('', '2038-01-01'), Type.Null()])),
  end_date_monetary_restriction: Type.Optional(Type.Union([date('', '2038-01-01'), Type.Null()])),
  end_date_service_restriction: Type.Optional(Type.Union([date('', '2038-01-01'), Type.Null()])),
  end_date_visibility_restriction: Type.Optional(Type.Union([date('', '2038-01-01'), Type.Null()])),
  decision_facts: Type.String({ minLength: 1, maxLength: 5000 }),
  source_type: oneOf(SOURCE_TYPES),
  source_identity: Type.Optional(text(500)),
  automated_detection: oneOf(['Yes', 'No']),
  automated_decision: oneOf(AUTOMATED_DECISIONS),
  puid: Type.String({ maxLength: 500, pattern: '^[a-zA-Z0-9\\-_]+$' }),
};

/** `decision_ground` with the fields the API requires for it and excludes for the other. */
export const TransparencyDatabaseStatementSchema: TSchema = Type.Union([
  Type.Object(
    {
      ...common,
      decision_ground: Type.Literal('DECISION_GROUND_ILLEGAL_CONTENT'),
      illegal_content_legal_ground: Type.String({ minLength: 1, maxLength: 500 }),
      illegal_content_explanation: Type.String({ minLength: 1, maxLength: 2000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      ...common,
      decision_ground: Type.Literal('DECISION_GROUND_INCOMPATIBLE_CONTENT'),
      incompatible_content_ground: Type.String({ minLength: 1, maxLength: 500 }),
      incompatible_content_explanation: Type.String({ minLength: 1, maxLength: 2000 }),
      incompatible_content_illegal: Type.Optional(oneOf(['Yes', 'No'])),
    },
    { additionalProperties: false },
  ),
]);

/** The rules a JSON schema cannot say: date ranges, and the "other" texts required when "other" is chosen. */
export function crossFieldProblems(statement: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const within = (field: string, min: string, max: string) => {
    const value = statement[field];
    if (typeof value === 'string' && (value < min || value > max || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) problems.push(`${field} ${value} is outside ${min}..${max}`);
  };
  within('content_date', '2000-01-01', '2038-01-01');
  within('application_date', '2020-01-01', '2038-01-01');
  if ((statement.content_type as string[]).includes('CONTENT_TYPE_OTHER') && !statement.content_type_other) problems.push('content_type_other is required with CONTENT_TYPE_OTHER');
  if ((statement.decision_visibility as string[]).includes('DECISION_VISIBILITY_OTHER') && !statement.decision_visibility_other) problems.push('decision_visibility_other is required with DECISION_VISIBILITY_OTHER');
  if (statement.source_type === 'SOURCE_VOLUNTARY' && statement.source_identity !== undefined) problems.push('source_identity is not taken with SOURCE_VOLUNTARY');
  return problems;
}
