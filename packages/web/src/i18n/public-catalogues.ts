/** Every language of the public pages: the shared words and the pages' own, English first (the fallback). */
import type { Locale } from './locales.ts';
import { publicDe } from './public-de.ts';
import { publicEn, type PublicMessageId } from './public-en.ts';
import { publicEs } from './public-es.ts';
import { publicFr } from './public-fr.ts';
import { publicIt } from './public-it.ts';
import { sharedDe } from './shared-de.ts';
import { sharedEn, type SharedMessageId } from './shared-en.ts';
import { sharedEs } from './shared-es.ts';
import { sharedFr } from './shared-fr.ts';
import { sharedIt } from './shared-it.ts';

export type PublicCatalogue = Record<PublicMessageId, string>;
export type SharedCatalogue = Record<SharedMessageId, string>;

export const publicCatalogues: Record<Locale, Record<PublicMessageId | SharedMessageId, string>> = {
  en: { ...sharedEn, ...publicEn },
  it: { ...sharedIt, ...publicIt },
  es: { ...sharedEs, ...publicEs },
  fr: { ...sharedFr, ...publicFr },
  de: { ...sharedDe, ...publicDe },
};
