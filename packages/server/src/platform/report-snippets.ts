/**
 * What a platform pastes into its pages so people can report from where the content is (docs/platform.md,
 * "Report from your pages"): the deep link into the request form and the report button's frame. Pure: the
 * caller passes the site's public address.
 */

/** Where a placeholder stands for the content's address, in the printed templates. */
export const CONTENT_PLACEHOLDER = 'ADDRESS_OF_THE_CONTENT';

function query(platform: string, contentUrl: string | undefined, lang: string | undefined): string {
  const params = new URLSearchParams({ platform });
  if (lang) params.set('lang', lang);
  // The placeholder is left readable; a real address is URL-encoded, as the platform must encode it.
  return `${params.toString()}&url=${contentUrl === undefined ? CONTENT_PLACEHOLDER : encodeURIComponent(contentUrl)}`;
}

/**
 * The link for a platform's "report" menu, e.g.
 * `https://takedown.example/request?platform=pics&lang=en&url=https%3A%2F%2Fpics.example%2Fp%2F1`.
 */
export function reportLinkUrl(publicUrl: string, platform: string, contentUrl?: string, lang?: string): string {
  return `${publicUrl}/request?${query(platform, contentUrl, lang)}`;
}

const escapeAttribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** The report button's frame, as HTML to paste next to the content. */
export function reportButtonSnippet(publicUrl: string, platform: string, contentUrl?: string, lang?: string): string {
  const src = escapeAttribute(`${publicUrl}/embed/report?${query(platform, contentUrl, lang)}`);
  return [
    `<iframe src="${src}"`,
    '        title="Report an intimate image" width="300" height="48" style="border:0" loading="lazy"',
    '        sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>',
  ].join('\n');
}
