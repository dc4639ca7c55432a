/** The public pages' translator, typed by the English catalogue's keys (a wrong key fails the typecheck). */
import { useTranslator, type Translator } from '../i18n/I18n.tsx';
import type { PublicMessageId } from '../i18n/public-en.ts';
import type { SharedMessageId } from '../i18n/shared-en.ts';

export type PublicId = PublicMessageId | SharedMessageId;
export const useT = (): Translator<PublicId> => useTranslator<PublicId>();
