import { normaliseWebAddress } from '../contact-format.ts';
import { DEFAULT_REQUEST_LIMITS } from '../request-limits.ts';
import { ExactIndex } from './exact-index.ts';
import type { SignalRead, SignalType } from './signal-type.ts';

/** A bank's URL setting: whether the same address as a confirmed item's blocks (default: review only). */
export interface UrlThresholds {
  block: boolean;
}

function read(text: string): SignalRead<string> {
  const url = normaliseWebAddress(text, DEFAULT_REQUEST_LIMITS.maxUrlLength);
  if (!url.ok) return { ok: false, field: 'url', code: url.code, message: url.message };
  // The fragment never reaches a server: two addresses that differ only there are the same page.
  const parsed = new URL(url.value);
  parsed.hash = '';
  return { ok: true, value: parsed.href };
}

/**
 * A web address, matched exactly after normalising (scheme and host in lowercase, default port and fragment
 * dropped, as the WHATWG URL parser writes it): python-threatexchange's `url` signal type. An address says
 * where content was, not what it is, so by default a URL match goes to a person.
 */
export const urlSignal: SignalType<string, UrlThresholds> = {
  name: 'url',
  label: 'URL',
  media: 'url',
  names: { threatexchange: ['url'], stopncii: ['URL'] },
  fields: ['url'],
  fieldSchemas: { url: { type: 'string', maxLength: DEFAULT_REQUEST_LIMITS.maxUrlLength, description: 'Where the content is: an http(s) address, matched exactly after normalising.' } },
  readFields(fields) {
    const raw = fields.url;
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') return { ok: false, field: 'url', code: 'invalid_url', message: 'url is a web address starting with https:// or http://.' };
    return read(raw);
  },
  writeFields: (value) => ({ url: value }),
  parseText: read,
  formatText: (value) => value,
  key: (value) => value,
  thresholds: {
    defaults: { block: false },
    check(value) {
      if (typeof value.block !== 'boolean') return { ok: false, problems: [{ field: 'url.block', message: 'url.block is true (the same address as a confirmed item blocks) or false (it goes to review).' }] };
      return { ok: true, value: { block: value.block } };
    },
    describe: (t) => (t.block ? 'the same address as a confirmed item blocks' : 'the same address goes to review'),
  },
  createIndex: () => new ExactIndex<string, UrlThresholds>((value) => value, (t) => ({ distance: 0, exact: true, withinBlock: t.block, threshold: 0, trustworthy: true })),
};
