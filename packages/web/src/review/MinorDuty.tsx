/**
 * Shown on an item whose requester said the person was under 18 when it was made: the imagery is child sexual
 * abuse material in law, no copy is ever shared, and the platform hosting it has a duty to report it.
 */
import { useT } from './i18n.ts';

export interface MinorFlag {
  under18WhenMade: true;
  reportingDuty: { law: string; summary: string; reportTo: string };
}

export function MinorDuty({ minor }: { minor: MinorFlag | undefined }) {
  const t = useT();
  if (!minor) return null;
  const { law, reportTo } = minor.reportingDuty;
  return (
    <div className="notice notice-warning" role="note" data-testid="minor-duty">
      <p><span className="tag tag-senior">{t.text('minorDuty.tag')}</span> <strong>{t.text('minorDuty.law', { law })}</strong></p>
      <p>{t.text('minorDuty.summary', { law })}</p>
      <p>{t.rich('minorDuty.reportTo', { address: reportTo, link: (chunks) => <a href={reportTo} rel="noreferrer noopener" target="_blank">{chunks}</a> })}</p>
    </div>
  );
}
