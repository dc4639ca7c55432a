/**
 * Talking to the takedown server from the browser. Errors come back as ApiError with the server's stable code,
 * its plain-language message and, for invalid requests, one entry per field.
 */
import type { FieldError } from '@takedown/core';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** When a throttled caller may try again (ISO time), from a 429 or a wrong-PIN warning. */
  readonly retryAt?: string;
  /** A wrong PIN: how long the next wrong one would make the caller wait (0: no wait yet). */
  readonly nextWaitSeconds?: number;
  /** A wrong PIN: wrong PINs that may still be tried before one brings a wait (1: the next one does). */
  readonly triesBeforeWait?: number;
  /** A wrong PIN: the wait the last of those tries brings, in seconds. */
  readonly waitAfterTriesSeconds?: number;
  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldError[] = [],
    extra: { retryAt?: string; nextWaitSeconds?: number; triesBeforeWait?: number; waitAfterTriesSeconds?: number } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAt = extra.retryAt;
    this.nextWaitSeconds = extra.nextWaitSeconds;
    this.triesBeforeWait = extra.triesBeforeWait;
    this.waitAfterTriesSeconds = extra.waitAfterTriesSeconds;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; field?: string; fields?: FieldError[]; retryAt?: string; nextWaitSeconds?: number; triesBeforeWait?: number; waitAfterTriesSeconds?: number };
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes to send instead of JSON (only the opt-in media upload does this). */
  rawBody?: Blob;
}

const NETWORK_MESSAGE =
  'We could not reach the service. Check your internet connection and try again. Nothing was lost on this page.';

async function send(path: string, options: ApiOptions): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  let body: BodyInit | undefined;
  if (options.rawBody) {
    body = options.rawBody;
    headers['content-type'] = options.rawBody.type || 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  try {
    return await fetch(path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  let parsed: ErrorBody = {};
  try {
    parsed = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy error page, say): fall through to the generic message.
  }
  const error = parsed.error ?? {};
  const fields = error.fields ?? (error.field ? [{ field: error.field, code: error.code ?? 'invalid', message: error.message ?? '' }] : []);
  return new ApiError(
    response.status,
    error.code ?? `http_${response.status}`,
    error.message ?? `Something went wrong on our side (error ${response.status}). Please try again in a minute.`,
    fields,
    { retryAt: error.retryAt, nextWaitSeconds: error.nextWaitSeconds, triesBeforeWait: error.triesBeforeWait, waitAfterTriesSeconds: error.waitAfterTriesSeconds },
  );
}

/** Sends a request and returns the parsed JSON body; throws ApiError on any non-2xx answer. */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Like api(), for endpoints that answer with bytes (a picture preview). */
export async function apiBlob(path: string, options: ApiOptions = {}): Promise<Blob> {
  const response = await send(path, options);
  if (!response.ok) throw await errorFrom(response);
  return response.blob();
}
