/** The reviewer console's languages (English and Italian): the shared words and the console's own. */
import { reviewEn, type ReviewMessageId } from './review-en.ts';
import { reviewIt } from './review-it.ts';
import { sharedEn, type SharedMessageId } from './shared-en.ts';
import { sharedIt } from './shared-it.ts';

export const REVIEW_LOCALES = ['en', 'it'] as const;
export type ReviewLocale = (typeof REVIEW_LOCALES)[number];

export const reviewCatalogues: Record<ReviewLocale, Record<ReviewMessageId | SharedMessageId, string>> = {
  en: { ...sharedEn, ...reviewEn },
  it: { ...sharedIt, ...reviewIt },
};
