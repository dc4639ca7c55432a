import { isIP } from 'node:net';

/**
 * Webhook endpoints must be HTTPS, except plain HTTP to this machine (loopback) for local testing: events say
 * which content to remove, and must not travel the network in clear.
 */
export function checkWebhookUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'The webhook URL is not a valid absolute URL (e.g. https://platform.example/takedown/events).' };
  }
  if (url.username || url.password) return { ok: false, message: 'Put no user name or password in the webhook URL; events are signed instead.' };
  if (url.protocol === 'https:') return { ok: true, url: url.toString() };
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return { ok: true, url: url.toString() };
  if (url.protocol === 'http:') return { ok: false, message: 'The webhook URL must use HTTPS (plain HTTP only to localhost, for testing).' };
  return { ok: false, message: 'The webhook URL must start with https://.' };
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
