import type { BankHit } from './bank-index.ts';
import { bankNameFromHma, hmaBankName, hmaDistance } from './hma-names.ts';

/** One match as HMA answers it: the banked content's id and the distance as HMA prints it. */
export interface HmaMatch {
  bank_content_id: number;
  distance: string;
}

/**
 * The hits of one signal type as HMA's lookup answers them, `{ "BANK_A": [{ bank_content_id, distance }] }`:
 * each banked hash once (its closest hit), banks by name and matches closest first. `banks` (HMA's `banks=`
 * filter, names in any case) keeps only those banks.
 */
export function hmaMatchesByBank(hits: BankHit[], banks?: ReadonlySet<string>): Record<string, HmaMatch[]> {
  const byBank: Record<string, HmaMatch[]> = {};
  for (const hit of closestFirst(hits, banks)) {
    (byBank[hmaBankName(hit.bankName)] ??= []).push({ bank_content_id: hit.hashId, distance: hmaDistance(hit.match) });
  }
  return byBank;
}

/** The same hits as HMA's raw lookup lists them: one list, by bank name, then closest first. */
export function hmaRawMatches(hits: BankHit[], banks?: ReadonlySet<string>): HmaMatch[] {
  return closestFirst(hits, banks).map((hit) => ({ bank_content_id: hit.hashId, distance: hmaDistance(hit.match) }));
}

/** HMA's `banks=a,b` parameter as takedown bank names; undefined when absent or empty (every bank). */
export function hmaBankFilter(banks: string | undefined): ReadonlySet<string> | undefined {
  if (!banks) return undefined;
  return new Set(banks.split(',').map((b) => bankNameFromHma(b.trim())));
}

function closestFirst(hits: BankHit[], banks: ReadonlySet<string> | undefined): BankHit[] {
  const best = new Map<number, BankHit>();
  for (const hit of hits) {
    if (banks && !banks.has(hit.bankName)) continue;
    const seen = best.get(hit.hashId);
    if (!seen || hit.match.distance < seen.match.distance) best.set(hit.hashId, hit);
  }
  return [...best.values()].sort((a, b) => a.bankName.localeCompare(b.bankName) || a.match.distance - b.match.distance || a.hashId - b.hashId);
}
