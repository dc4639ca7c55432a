/**
 * Signals as data (packages/core/src/signals): what an item or a piece of content was identified by is one
 * JSON object of the signal types' fields (`{ "pdq": "…", "pdqQuality": 90, "md5": "…", "vpdq": [...] }`),
 * a bank's thresholds are one JSON object per signal type, and a bank hash may be of any registered type
 * (the registry checks the name, not a CHECK constraint). A new signal type needs no migration.
 *
 * `bank_hashes.hash` holds the type's key (for vPDQ, the SHA-256 of its frames); `value` holds the type's
 * fields as JSON when the key alone does not carry the whole value (vPDQ frames, a PDQ hash's quality).
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '007-signals-as-data';

export const statements: string[] = [
  `alter table banks add column thresholds jsonb not null default '{}'`,
  `update banks set thresholds = jsonb_build_object(
    'pdq', jsonb_build_object('blockBits', pdq_block_bits, 'reviewBits', pdq_review_bits),
    'md5', jsonb_build_object('block', md5_block_bits = 0),
    'sha256', jsonb_build_object('block', sha256_block_bits = 0))`,
  // A vPDQ share someone set keeps its meaning (both ways); the old default gives way to the new one (80 / 0).
  `update banks set thresholds = thresholds || jsonb_build_object('vpdq', jsonb_build_object('queryPercent', vpdq_match_percent, 'comparedPercent', vpdq_match_percent))
    where vpdq_match_percent <> 80`,
  `alter table banks drop column pdq_block_bits, drop column pdq_review_bits, drop column md5_block_bits, drop column sha256_block_bits, drop column vpdq_match_percent`,

  `alter table bank_hashes drop constraint bank_hashes_signal_check`,
  `alter table bank_hashes rename column frames to value`,
  `update bank_hashes set value = '{"vpdq":' || value || '}' where value is not null`,
  `update bank_hashes set value = json_build_object('pdq', hash, 'pdqQuality', quality)::text where signal = 'pdq' and quality is not null`,

  `alter table items add column signals text not null default '{}'`,
  `update items set signals = json_strip_nulls(json_build_object(
    'pdq', pdq, 'pdqQuality', pdq_quality, 'md5', trim(md5), 'sha256', sha256, 'vpdq', vpdq::json))::text`,
  `alter table items drop column pdq, drop column pdq_quality, drop column md5, drop column sha256, drop column vpdq`,

  `alter table platform_content add column signals text not null default '{}'`,
  `update platform_content set signals = json_strip_nulls(json_build_object(
    'pdq', pdq, 'pdqQuality', pdq_quality, 'pdqVariants', to_json(string_to_array(pdq_variants, ',')),
    'md5', trim(md5), 'sha256', sha256, 'vpdq', vpdq::json))::text`,
  `alter table platform_content drop column pdq, drop column pdq_quality, drop column pdq_variants, drop column md5, drop column sha256, drop column vpdq`,
];
