/**
 * The security headers of the report button (`/embed/report`), the one page of the site another origin may
 * frame. It runs its own script and style and loads nothing else; it links to the request form, which it
 * opens in a new tab (the form itself stays unframeable).
 */

/**
 * `frame-ancestors` from the hosts a platform declares: `pics.example` allows pages on that host,
 * `*.pics.example` those on the hosts below it, as the declaration means. No scheme: the source then matches
 * the button's own scheme and its secure upgrade (only https pages, when takedown is served over https). Any
 * port: the host is what the platform declared, not a port. No hosts: no page may frame the button.
 */
export function reportButtonPolicy(hosts: readonly string[]): string {
  const ancestors = hosts.length > 0 ? hosts.map((host) => `${host}:*`).join(' ') : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/**
 * A platform's page may be cross-origin isolated (COEP require-corp): a framed document then has to say that it
 * may be embedded across origins, and be isolated itself. It needs no opener policy: it opens the form with
 * noopener.
 */
export const REPORT_BUTTON_HEADERS = {
  'cross-origin-resource-policy': 'cross-origin',
  'cross-origin-embedder-policy': 'require-corp',
};
