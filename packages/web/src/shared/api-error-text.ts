/**
 * What the server answered, in the reader's language: by the answer's stable `code` (the server's English
 * `message` stays for API users and for codes these pages do not know yet).
 */
import type { Translator } from '../i18n/I18n.tsx';
import { sharedEn, type SharedMessageId } from '../i18n/shared-en.ts';
import { ApiError } from './api.ts';

const known = (id: string): id is SharedMessageId => id in sharedEn;

/** For a code these pages have no words for: the server's own sentence when the reader reads English. */
const serverWords = (t: Translator<SharedMessageId>, message: string | undefined) => (t.intl.locale === 'en' && message ? message : undefined);

export function apiErrorText(t: Translator<SharedMessageId>, error: unknown): string {
  if (!(error instanceof ApiError)) return t.text('apiError.unknown', { status: 0 });
  const id = `apiError.${error.code}`;
  if (error.code === 'too_many_attempts') return t.text('apiError.too_many_attempts', { retryAt: t.dateTime(error.retryAt) });
  if (known(id)) return t.text(id);
  return serverWords(t, error.message) ?? t.text('apiError.unknown', { status: error.status });
}

/** A problem with one field the server found, by its code (core's validation codes). */
export function fieldErrorText(t: Translator<SharedMessageId>, problem: { code: string; message?: string }): string {
  const id = `fieldError.${problem.code}`;
  return known(id) ? t.text(id) : (serverWords(t, problem.message) ?? t.text('fieldError.invalid'));
}
