import { signalTypes, type AnySignalType, type SignalMatch } from '@takedown/core';

/**
 * How HMA 2.0 (Meta's hasher-matcher-actioner, "Open Media Match") names what takedown has, so that its routes
 * (docs/hma-compatibility.md) speak HMA's words: signal types by python-threatexchange's names (`pdq`,
 * `video_md5`, `vpdq`), content types `photo` and `video`, banks in HMA's UPPER_CASE, distances as HMA prints them.
 * @example
 * hmaSignalType('video_md5')?.name // 'md5'
 * hmaSignalName(signalTypes.get('md5')!) // 'video_md5'
 */

/** HMA's content types and the media of the signal types each is hashed with ('file': any bytes). */
export const HMA_CONTENT_TYPES = { photo: 'image', video: 'video' } as const;
export type HmaContentType = keyof typeof HMA_CONTENT_TYPES;

export function isHmaContentType(name: string): name is HmaContentType {
  return Object.hasOwn(HMA_CONTENT_TYPES, name);
}

/** The name HMA (python-threatexchange) gives a signal type: the first of its threatexchange names. */
export function hmaSignalName(type: AnySignalType): string {
  return type.names.threatexchange[0] ?? type.name;
}

/** The signal type HMA calls `name`, exactly as HMA spells it (`pdq`, `video_md5`); undefined when none is. */
export function hmaSignalType(name: string): AnySignalType | undefined {
  return signalTypes.all().find((t) => t.names.threatexchange.includes(name));
}

/** Every registered signal type under its HMA name, in registration order. */
export function hmaSignalTypes(): { hmaName: string; type: AnySignalType }[] {
  return signalTypes.all().map((type) => ({ hmaName: hmaSignalName(type), type }));
}

/** The signal types that hashing bytes of `content` yields (PDQ for a photo, vPDQ for a video, digests for both). */
export function hmaSignalTypesOf(content: HmaContentType): { hmaName: string; type: AnySignalType }[] {
  return hmaSignalTypes().filter(({ type }) => type.media === HMA_CONTENT_TYPES[content] || type.media === 'file');
}

/** A bank's name as HMA shows it: takedown's names are lower case, HMA's UPPER_CASE; the mapping is one to one. */
export function hmaBankName(name: string): string {
  return name.toUpperCase();
}

/** The takedown bank an HMA bank name stands for (any case). */
export function bankNameFromHma(name: string): string {
  return name.toLowerCase();
}

/**
 * A match's distance as HMA prints it (python-threatexchange's `pretty_str`): the distance for single-distance
 * types (`"4"` bits of PDQ, `"0"` for a digest), `"95%[80%]"` (query share [compared share]) for vPDQ.
 */
export function hmaDistance(match: SignalMatch): string {
  const query = match.detail?.queryMatchPercent;
  const compared = match.detail?.comparedMatchPercent;
  if (query !== undefined && compared !== undefined) return `${roundHalfEven(query)}%[${roundHalfEven(compared)}%]`;
  return String(match.distance);
}

/** Python's `f"{x:.0f}"`: to the nearest whole number, halves to the even one. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
