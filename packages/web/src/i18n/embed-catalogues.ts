/** Every language of the report button, English first (the fallback). */
import { embedDe } from './embed-de.ts';
import { embedEn, type EmbedMessageId } from './embed-en.ts';
import { embedEs } from './embed-es.ts';
import { embedFr } from './embed-fr.ts';
import { embedIt } from './embed-it.ts';
import type { Locale } from './locales.ts';

export const embedCatalogues: Record<Locale, Record<EmbedMessageId, string>> = { en: embedEn, it: embedIt, es: embedEs, fr: embedFr, de: embedDe };
