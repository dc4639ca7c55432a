/**
 * Every public page and state in every language, in Chromium, on a phone: the request steps (empty and with
 * errors), the confirmation, the status page (wrong PIN, the case, the withdraw question), getting a new PIN
 * (empty fields, the code sent to a real SMTP server, a wrong code, the new PIN), the page-not-found page. On
 * each: no missing message (react-intl reports one on the console with "[i18n]", which fails the test), the
 * page's `lang`, a heading that is not the English one, axe clean, no sideways scrolling on a 390 px phone
 * (languages-walk.ts walks and checks). The desktop layout and the choice of language are in
 * languages-desktop.test.ts, the console in languages-console.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { everyState, LANGUAGES, open, useLanguageSite } from './languages-walk.ts';

useLanguageSite();

describe('languages, in Chromium: every public page on a phone', () => {
  const englishHeadings: Record<string, string> = {};

  it('shows every public page and state in each of the five languages, complete, accessible and fitting a phone', { timeout: 900_000 }, async () => {
    for (const language of LANGUAGES) {
      const { context, page, problems } = await open(language);
      const headings = await everyState(page, language.locale, problems, true);
      if (language.locale === 'en') Object.assign(englishHeadings, headings);
      else {
        for (const [state, text] of Object.entries(headings)) expect(text, `${language.locale} ${state}: heading in English`).not.toBe(englishHeadings[state]);
      }
      await context.close();
    }
  });
});
