/**
 * The catalogues (docs/web.md, "Languages"): every language has every key of the English reference, with the
 * same ICU arguments and tags, nothing left in English by mistake, and every message formats cleanly.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { embedCatalogues } from '../src/i18n/embed-catalogues.ts';
import { publicCatalogues } from '../src/i18n/public-catalogues.ts';
import { REVIEW_LOCALES, reviewCatalogues } from '../src/i18n/review-catalogues.ts';
import { LOCALES, matchLocale, pickLocale } from '../src/i18n/locales.ts';

/** The arguments and tags a message uses, as "name:kind" (a translation must use the same ones). */
function argumentsOf(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument: found.add(`${element.value}:text`); break;
      case TYPE.number: found.add(`${element.value}:number`); break;
      case TYPE.date: case TYPE.time: found.add(`${element.value}:date`); break;
      case TYPE.plural:
        found.add(`${element.value}:plural`);
        for (const option of Object.values(element.options)) argumentsOf(option.value, found);
        break;
      case TYPE.select:
        found.add(`${element.value}:select`);
        for (const option of Object.values(element.options)) argumentsOf(option.value, found);
        break;
      case TYPE.tag:
        found.add(`<${element.value}>:tag`);
        argumentsOf(element.children, found);
        break;
      default:
        break;
    }
  }
  return found;
}

/**
 * Messages that may read the same as English: the service's name, patterns made only of arguments, and words
 * that are the same in that language ("PIN", "Link", "Password", Spanish "Error").
 */
const SAME_AS_ENGLISH = new Set([
  'site.name', 'title.suffix', 'links.label', 'pictures.whereLink', 'done.pin', 'status.pin', 'field.errorPrefix', 'site.footerNav', 'review.contact', 'review.links',
  'done.file.title', 'console.nav', 'console.who', 'role.senior', 'role.auditor', 'login.password', 'tag.senior', 'tag.demo', 'item.link', 'report.minutes', 'report.hours', 'marker.video',
  'status.kind.video', 'status.kind.link', 'status.itemNamed', 'contact.location.AU',
  'notices.jurisdictionOption',
]);

function checkCatalogues(name: string, catalogues: Record<string, Record<string, string>>) {
  const english = catalogues.en;
  const englishArguments = new Map(Object.entries(english).map(([key, value]) => [key, [...argumentsOf(parse(value))].sort()]));
  for (const [locale, messages] of Object.entries(catalogues)) {
    describe(`${name}: ${locale}`, () => {
      it('has exactly the English keys', () => {
        expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
      });

      it('uses the same ICU arguments and tags as English in every message', () => {
        for (const [key, value] of Object.entries(messages)) {
          expect([...argumentsOf(parse(value))].sort(), `${locale} ${key}: ${value}`).toEqual(englishArguments.get(key));
        }
      });

      it('formats every message with no ICU syntax left over (a stray quote or brace shows as text)', () => {
        for (const [key, value] of Object.entries(messages)) {
          const values: Record<string, unknown> = {};
          for (const arg of englishArguments.get(key) ?? []) {
            const [argName, kind] = arg.split(':');
            if (kind === 'tag') values[argName.slice(1, -1)] = (chunks: string[]) => chunks.join('');
            else values[argName] = kind === 'plural' || kind === 'number' ? 2 : `«${argName}»`;
          }
          const text = String(new IntlMessageFormat(value, locale).format(values));
          expect(text, `${locale} ${key}`).not.toMatch(/[{}<>]|''/);
          expect(text.trim(), `${locale} ${key}`).not.toBe('');
        }
      });

      if (locale !== 'en') {
        it('leaves nothing in English by mistake', () => {
          const untranslated = Object.keys(messages).filter((key) => messages[key] === english[key] && !SAME_AS_ENGLISH.has(key));
          expect(untranslated).toEqual([]);
        });
      }
    });
  }
}

checkCatalogues('public pages', publicCatalogues);
checkCatalogues('review console', reviewCatalogues);
checkCatalogues('report button', embedCatalogues);

describe('choosing the language', () => {
  it('covers the five public languages and English and Italian in the console', () => {
    expect(Object.keys(publicCatalogues)).toEqual([...LOCALES]);
    expect(Object.keys(reviewCatalogues)).toEqual([...REVIEW_LOCALES]);
    expect(Object.keys(embedCatalogues)).toEqual([...LOCALES]);
  });

  it('takes ?lang= first, then the tab’s choice, then the browser’s languages in order, else English', () => {
    expect(pickLocale({ query: 'de', stored: 'it', preferred: ['fr-FR'] }, LOCALES)).toBe('de');
    expect(pickLocale({ query: 'xx', stored: 'it', preferred: ['fr-FR'] }, LOCALES)).toBe('it');
    expect(pickLocale({ preferred: ['pt-BR', 'es-419', 'en'] }, LOCALES)).toBe('es');
    expect(pickLocale({ preferred: ['pt-BR'] }, LOCALES)).toBe('en');
    expect(pickLocale({ preferred: ['fr-CA'] }, REVIEW_LOCALES)).toBe('en');
    expect(matchLocale('IT_it', LOCALES)).toBe('it');
  });
});
