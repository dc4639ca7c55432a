/**
 * The report button a platform frames on its pages (src/embed/main.ts, docs/platform.md "Report from your
 * pages"): a few words of its own, so the button loads no other page's catalogue. Plain text, no ICU arguments.
 */
export const embedEn = {
  'embed.title': 'Report an intimate image – Take it down',
  'embed.button': 'Report an intimate image',
  'embed.newTab': '(opens in a new tab)',
} as const;

export type EmbedMessageId = keyof typeof embedEn;
