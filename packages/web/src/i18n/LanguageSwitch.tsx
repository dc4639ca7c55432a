/** The visible language switch: every language by its own name, the current one marked. */
import { LOCALE_NAMES, type Locale } from './locales.ts';
import { useLocaleChoice } from './I18n.tsx';

export function LanguageSwitch({ label }: { label: string }) {
  const { locale, supported, setLocale } = useLocaleChoice();
  return (
    <nav className="language-switch" aria-label={label}>
      <ul>
        {supported.map((l) => (
          <li key={l}>
            <a
              href={`?lang=${l}`}
              lang={l}
              hrefLang={l}
              aria-current={l === locale ? 'true' : undefined}
              onClick={(event) => {
                // Switch in place: a reload would lose what the person typed.
                event.preventDefault();
                setLocale(l);
              }}
            >
              {LOCALE_NAMES[l as Locale] ?? l}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
