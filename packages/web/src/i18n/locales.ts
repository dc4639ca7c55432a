/**
 * Which language a page speaks: `?lang=` first (a link can choose), then the choice made earlier in this tab,
 * then the browser's own list (navigator.languages, the same list it sends as Accept-Language), else English.
 * Pure: the caller passes what the browser says.
 */
export const LOCALES = ['en', 'it', 'es', 'fr', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language by its own name, as the language switch shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', it: 'Italiano', es: 'Español', fr: 'Français', de: 'Deutsch' };

/** Where the tab remembers the choice (sessionStorage: gone when the tab closes). */
export const LOCALE_STORAGE_KEY = 'takedown.lang';

/** The supported language a tag such as "it-IT" or "de" asks for, if any. */
export function matchLocale<L extends string>(tag: string | null | undefined, supported: readonly L[]): L | undefined {
  if (!tag) return undefined;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return supported.find((l) => l === base);
}

export interface LocaleSources {
  /** The `lang` query parameter. */
  query?: string | null;
  /** What this tab chose before. */
  stored?: string | null;
  /** The browser's languages, most wanted first. */
  preferred?: readonly string[];
}

export function pickLocale<L extends string>(sources: LocaleSources, supported: readonly L[]): L {
  return (
    matchLocale(sources.query, supported) ??
    matchLocale(sources.stored, supported) ??
    (sources.preferred ?? []).map((tag) => matchLocale(tag, supported)).find((l) => l !== undefined) ??
    supported[0]
  );
}
