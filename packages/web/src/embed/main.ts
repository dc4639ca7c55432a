/**
 * The report button (`/embed/report?platform=…&url=…&lang=…`), framed by a platform on its own pages next to a
 * post, a message, a comment or a stream (docs/platform.md, "Report from your pages"). One link, no framework:
 * it opens the request form in a new tab, with the content's address prefilled, and never the other way round
 * (noopener: the form's tab cannot reach the platform's page, nor the page the form).
 */
import { embedCatalogues } from '../i18n/embed-catalogues.ts';
import { LOCALES, pickLocale } from '../i18n/locales.ts';
import './embed.css';

const params = new URLSearchParams(window.location.search);
const locale = pickLocale({ query: params.get('lang'), preferred: navigator.languages }, LOCALES);
const words = embedCatalogues[locale];

/** Only what the form reads travels on: the address of the content, the platform and the language. */
const target = new URLSearchParams();
const url = params.get('url')?.trim() ?? '';
const platform = params.get('platform')?.trim() ?? '';
if (url !== '') target.set('url', url);
if (platform !== '') target.set('platform', platform);
target.set('lang', locale);

document.documentElement.lang = locale;
document.title = words['embed.title'];
const link = document.createElement('a');
link.className = 'report-button';
link.href = `/request?${target.toString()}`;
link.target = '_blank';
link.rel = 'noopener noreferrer';
link.textContent = words['embed.button'];
const hint = document.createElement('span');
hint.className = 'visually-hidden';
hint.textContent = ` ${words['embed.newTab']}`;
link.append(hint);
document.body.append(link);
