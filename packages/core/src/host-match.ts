/**
 * Which platform serves a web address, from the hosts platforms declare (`example.com`, `*.cdn.example.com`).
 * Declarations arrive normalised (lower-case ASCII, IDNA applied, no port): the server checks them as they are
 * declared. A wildcard covers the hosts below its domain, not the domain itself (`*.example.com` covers
 * `a.example.com` and `a.b.example.com`, not `example.com`), as in TLS certificates except that it reaches any
 * depth: a CDN's hosts nest.
 */
export interface HostDeclaration {
  platformId: string;
  /** `example.com` or `*.example.com`. */
  host: string;
}

/** Whether one declared host covers a (normalised) host name. */
export function hostMatches(declared: string, host: string): boolean {
  if (!declared.startsWith('*.')) return declared === host;
  return host.endsWith(declared.slice(1)) && host.length > declared.length - 1;
}

/**
 * How specific a declaration is: an exact host beats any wildcard, a longer wildcard a shorter one. With each
 * host declared at most once (the database holds it once), the most specific match names one platform.
 */
function specificity(declared: string): number {
  const labels = declared.split('.').length;
  return declared.startsWith('*.') ? labels - 1 : 1000 + labels;
}

/**
 * The declaration that decides who serves `host`: the most specific one covering it, so a platform serving
 * `*.example.com` does not take `cdn.example.com` from the platform that declared it. Undefined: no platform
 * declares the host, and a person (reviewer, staff) has to reach the site.
 */
export function servingDeclaration<D extends HostDeclaration>(declarations: readonly D[], host: string): D | undefined {
  let best: D | undefined;
  for (const declaration of declarations) {
    if (!hostMatches(declaration.host, host)) continue;
    if (!best || specificity(declaration.host) > specificity(best.host)) best = declaration;
  }
  return best;
}
