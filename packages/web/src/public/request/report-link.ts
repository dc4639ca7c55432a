/**
 * A request form opened from a platform's "report" menu or report button: `/request?url=…&platform=…&lang=…`
 * (docs/platform.md, "Report from your pages"). The link is read once, put in the form, and taken out of the
 * address bar at once, so it is not left in this tab's history entry nor sent again on reload.
 */
import { api } from '../../shared/api.ts';

export interface ReportLink {
  /** The address of the content, as the platform gave it. */
  url: string;
  /** The `platform=` of the link: the name the operator gave the platform (not shown until the server knows it). */
  platform?: string;
}

/** What the server said about the link (POST /v1/report-links/check). */
export interface ReportLinkCheck {
  host: string;
  hostedBy: string | null;
  platformKnown: boolean | null;
  onPlatform: boolean;
}

/** Longest address taken from a link: core's limit on a web address, with room for it to say what is wrong. */
const MAX_URL_CHARS = 8192;

let taken: ReportLink | null | undefined;

/**
 * The link this page was opened with, if any. Read on the first call (the address bar is cleaned then, except
 * for `lang`, which only says which language to show) and the same answer on every later call of this page load.
 */
export function takeReportLink(): ReportLink | null {
  if (taken !== undefined) return taken;
  const params = new URLSearchParams(window.location.search);
  const url = params.get('url')?.trim().slice(0, MAX_URL_CHARS) ?? '';
  const platform = params.get('platform')?.trim().slice(0, 200) ?? '';
  taken = url === '' ? null : { url, ...(platform === '' ? {} : { platform }) };
  if (params.has('url') || params.has('platform')) {
    params.delete('url');
    params.delete('platform');
    const rest = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${rest === '' ? '' : `?${rest}`}${window.location.hash}`);
  }
  return taken;
}

const checks = new WeakMap<ReportLink, Promise<ReportLinkCheck>>();

/**
 * Asks the server whether the link is on the platform's declared hosts, once per link (the note shows on two
 * steps, and should not flicker or be announced again). The address goes in the body, never in a query.
 */
export function checkReportLink(link: ReportLink): Promise<ReportLinkCheck> {
  let check = checks.get(link);
  if (!check) {
    check = api<ReportLinkCheck>('/v1/report-links/check', { body: link });
    // A failed check (offline) may be asked again when the note shows next.
    check.catch(() => checks.delete(link));
    checks.set(link, check);
  }
  return check;
}

/** The first link of a new form is the reported one. */
export function withReportLink<D extends { links: string[] }>(draft: D, link: ReportLink | null): D {
  if (!link || draft.links.some((l) => l.trim() !== '')) return draft;
  return { ...draft, links: [link.url, ...draft.links.slice(1)] };
}
