/**
 * The language of a page (react-intl over ICU messages; docs/decisions/019-languages.md): picked once from
 * `?lang=`, the tab's earlier choice or the browser's languages, switchable at any time without losing what
 * the person typed. Dates are formatted in the reader's language and their own time zone.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider, useIntl, type IntlShape } from 'react-intl';
import { LOCALE_STORAGE_KEY, pickLocale } from './locales.ts';

type Values = Record<string, string | number | Date | ReactNode | ((chunks: ReactNode[]) => ReactNode)>;

interface LocaleChoice<L extends string> {
  locale: L;
  supported: readonly L[];
  setLocale: (locale: L) => void;
}

const LocaleContext = createContext<LocaleChoice<string> | undefined>(undefined);

function storedLocale(): string | null {
  try {
    return sessionStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // storage turned off: the choice lasts as long as the page
  }
}

function rememberLocale(locale: string): void {
  try {
    sessionStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // storage turned off
  }
}

/**
 * Missing or broken messages are reported on the console with an "[i18n]" prefix; the browser tests fail on
 * any such line, so a key missing in one language cannot ship unnoticed.
 */
function reportIntlError(error: { message: string }): void {
  console.error(`[i18n] ${error.message}`);
}

export function I18nProvider<L extends string>({
  catalogues,
  children,
}: {
  /** The messages of each language; the first is the reference and the fallback. */
  catalogues: Record<L, Record<string, string>>;
  children: ReactNode;
}) {
  const supported = Object.keys(catalogues) as L[];
  const [locale, setLocaleState] = useState<L>(() => {
    const chosen = pickLocale({ query: new URLSearchParams(window.location.search).get('lang'), stored: storedLocale(), preferred: navigator.languages }, supported);
    rememberLocale(chosen);
    return chosen;
  });
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const choice = useMemo<LocaleChoice<L>>(
    () => ({
      locale,
      supported,
      setLocale: (next) => {
        rememberLocale(next);
        // The address keeps saying which language is shown, so a reload shows the same.
        const url = new URL(window.location.href);
        if (url.searchParams.has('lang')) {
          url.searchParams.set('lang', next);
          window.history.replaceState(window.history.state, '', url);
        }
        setLocaleState(next);
      },
    }),
    [locale],
  );
  return (
    <LocaleContext.Provider value={choice as unknown as LocaleChoice<string>}>
      <IntlProvider locale={locale} defaultLocale={supported[0]} messages={catalogues[locale]} onError={reportIntlError}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocaleChoice(): LocaleChoice<string> {
  const choice = useContext(LocaleContext);
  if (!choice) throw new Error('useLocaleChoice needs an I18nProvider above it');
  return choice;
}

export interface Translator<Id extends string> {
  /** A message as plain text (for attributes, titles and announcements). */
  text(id: Id, values?: Record<string, string | number>): string;
  /** A message that may hold tags such as <strong> or <link>, given as functions in `values`. */
  rich(id: Id, values?: Values): ReactNode;
  /** A date and time in the reader's language and time zone, with the zone's name. */
  dateTime(iso: string | undefined): string;
  intl: IntlShape;
}

/** The messages of one app, typed by its catalogue's keys. */
export function useTranslator<Id extends string>(): Translator<Id> {
  const intl = useIntl();
  return useMemo(
    () => ({
      text: (id, values) => intl.formatMessage({ id }, values),
      rich: (id, values) => intl.formatMessage({ id }, values as Record<string, never>) as ReactNode,
      dateTime: (iso) => formatDateTime(intl, iso),
      intl,
    }),
    [intl],
  );
}

/** "ven 27 nov, 14:05 CET": the reader's language, the reader's own time zone (the browser's), and its name. */
function formatDateTime(intl: IntlShape, iso: string | undefined): string {
  if (!iso) return intl.formatMessage({ id: 'date.unknown' });
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return intl.formatDate(date, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}
