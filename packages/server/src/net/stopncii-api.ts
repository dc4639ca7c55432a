/**
 * StopNCII.org's hash exchange API, as python-threatexchange's client calls it
 * (threatexchange/exchanges/clients/stopncii/api.py): `GET <base>/FetchHashes` and `POST <base>/SubmitFeedback`,
 * each with the Azure API Management subscription key (`Ocp-Apim-Subscription-Key`) and the endpoint's own
 * function key (`x-functions-key`). docs/exchange.md maps every field.
 */

/** Where StopNCII serves its API (python-threatexchange's `StopNCIIAPI.BASE_URL`). */
export const STOPNCII_BASE_URL = 'https://api.stopncii.org/v1';

/** The first `startTimestamp` asked for when nothing was fetched yet (python-threatexchange's `DEFAULT_START_TIME`). */
export const STOPNCII_START_TIMESTAMP = 10;

/** The keys StopNCII gives a content service provider: one per endpoint, and the subscription key for all. */
export interface StopNciiKeys {
  subscriptionKey: string;
  fetchKey: string;
  /** SubmitFeedback's function key; without it reviewers' verdicts wait and are not sent. */
  feedbackKey?: string;
}

export interface FetchHashesPage {
  count: number;
  /** Cursor to the rest of this fetch (same startTimestamp); short-lived, so never stored. */
  nextPageToken: string | null;
  /** The checkpoint: the startTimestamp of the next fetch once this one is played out. */
  nextSetTimestamp: number;
  hasMoreRecords: boolean;
  /**
   * Records as sent ({ lastModtimestamp, signalType, hashValue, hashStatus, caseNumbers, CSPFeedbacks }); each is
   * read (and may be rejected) on its own, a later record of a hash replacing an earlier one.
   */
  hashRecords: unknown[];
}

/** StopNCII's verdict values (`StopNCIICSPFeedbackValue`) that a reviewer's decision maps to. */
export type StopNciiFeedbackValue = 'Blocked' | 'NotBlocked';

export interface StopNciiFeedback {
  hashValue: string;
  feedbackValue: StopNciiFeedbackValue;
}

/** An answer other than 2xx, or a body that is not what the API sends. `status` is the HTTP status (0: no answer). */
export class StopNciiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function headers(keys: StopNciiKeys, functionKey: string): Record<string, string> {
  return { 'x-functions-key': functionKey, 'Ocp-Apim-Subscription-Key': keys.subscriptionKey };
}

async function call(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) {
    const reason = response.status === 401 || response.status === 403 ? 'the keys were refused: check the fetch (or feedback) function key and the subscription key' : text.slice(0, 200) || 'no reason given';
    throw new StopNciiError(response.status, `StopNCII answered ${response.status}: ${reason}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StopNciiError(response.status, 'StopNCII answered with something that is not JSON');
  }
}

/** The page's envelope checked field by field; a page that does not fit is refused whole. */
function readFetchHashesPage(body: unknown): FetchHashesPage | string {
  if (typeof body !== 'object' || body === null) return 'the FetchHashes answer is not a JSON object';
  const b = body as Record<string, unknown>;
  if (!Number.isSafeInteger(b.nextSetTimestamp) || (b.nextSetTimestamp as number) < 0) return 'nextSetTimestamp is not a whole number of seconds';
  if (typeof b.hasMoreRecords !== 'boolean') return 'hasMoreRecords is not true or false';
  if (b.nextPageToken !== undefined && b.nextPageToken !== null && typeof b.nextPageToken !== 'string') return 'nextPageToken is not text';
  if (b.hashRecords !== undefined && !Array.isArray(b.hashRecords)) return 'hashRecords is not a list';
  const hashRecords = (b.hashRecords as unknown[] | undefined) ?? [];
  return { count: typeof b.count === 'number' ? b.count : hashRecords.length, nextPageToken: (b.nextPageToken as string | null | undefined) ?? null, nextSetTimestamp: b.nextSetTimestamp as number, hasMoreRecords: b.hasMoreRecords, hashRecords };
}

/** `GET FetchHashes?startTimestamp&pageSize[&nextPageToken]`: one page of hash records changed since `startTimestamp`. */
export async function fetchHashes(baseUrl: string, keys: StopNciiKeys, query: { startTimestamp: number; pageSize: number; nextPageToken?: string }, signal: AbortSignal): Promise<FetchHashesPage> {
  const params = new URLSearchParams({ startTimestamp: String(query.startTimestamp), pageSize: String(query.pageSize) });
  if (query.nextPageToken) params.set('nextPageToken', query.nextPageToken);
  const body = await call(`${baseUrl}/FetchHashes?${params}`, { headers: headers(keys, keys.fetchKey), signal });
  const page = readFetchHashesPage(body);
  if (typeof page === 'string') throw new StopNciiError(200, `StopNCII page refused: ${page}`);
  return page;
}

/** `POST SubmitFeedback` with `{ count, hashFeedbacks: [{ tags, feedbackValue, hashValue }] }` (no signalType: the API takes none). */
export async function submitFeedback(baseUrl: string, keys: StopNciiKeys, feedback: StopNciiFeedback[], signal: AbortSignal): Promise<void> {
  if (!keys.feedbackKey) throw new StopNciiError(0, 'no feedback key was given when following StopNCII');
  const hashFeedbacks = feedback.map((f) => ({ tags: [], feedbackValue: f.feedbackValue, hashValue: f.hashValue }));
  await call(`${baseUrl}/SubmitFeedback`, { method: 'POST', headers: { ...headers(keys, keys.feedbackKey), 'content-type': 'application/json' }, body: JSON.stringify({ count: hashFeedbacks.length, hashFeedbacks }), signal });
}

/** Checks the keys with the smallest fetch there is (one record, from now): throws StopNciiError when refused. */
export async function probeStopNcii(baseUrl: string, keys: StopNciiKeys, timeoutMs: number): Promise<void> {
  await fetchHashes(baseUrl, keys, { startTimestamp: Math.floor(Date.now() / 1000), pageSize: 1 }, AbortSignal.timeout(timeoutMs));
}
