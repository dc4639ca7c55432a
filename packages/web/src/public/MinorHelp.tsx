/**
 * For a person who was under 18 when the pictures were made: NCMEC's own routes, in plain words. Such pictures
 * are child sexual abuse material in law, so no copy is ever sent, and the platform must report them.
 */
import { NCMEC_ROUTES } from '@takedown/core';
import { useT } from './i18n.ts';

export function MinorHelp() {
  const t = useT();
  return (
    <aside className="notice minor-help" aria-labelledby="minor-help-title" data-testid="minor-help">
      <h2 id="minor-help-title">{t.text('minor.heading')}</h2>
      <p>{t.text('minor.notInTrouble')}</p>
      <p>{t.text('minor.services')}</p>
      <ul>
        <li>{t.rich('minor.takeItDown', { link: (chunks) => <a href={NCMEC_ROUTES.takeItDown} rel="noreferrer">{chunks}</a> })}</li>
        <li>{t.rich('minor.cyberTipline', { link: (chunks) => <a href={NCMEC_ROUTES.cyberTipline} rel="noreferrer">{chunks}</a> })}</li>
      </ul>
    </aside>
  );
}
