/**
 * A cookie jar for driving redirect flows with fetch, as a browser would for one host name: every cookie set by
 * any port of 127.0.0.1 is sent back to all of them (cookies do not separate ports), and deleted ones go away.
 * Enough for sign-in tests; it ignores paths, and Secure is ignored as browsers do for loopback addresses.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Sends a request with the jar's cookies, records what comes back, follows no redirect. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set('cookie', [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }
}
