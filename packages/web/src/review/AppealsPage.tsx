/** The appeal queue: uploaders' appeals against removals, open ones soonest due first (DSA Art. 20). */
import { useEffect, useState } from 'react';
import { navigate, useFocusHeading } from '../shared/router.ts';
import type { Translator } from '../i18n/I18n.tsx';
import { api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { stateText, timeLeftText, useT, type ReviewId } from './i18n.ts';

export interface AppealEntry {
  appealId: string;
  itemId: string;
  caseNumber: string;
  state: string;
  itemState: string;
  jurisdiction: string;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  itemDecidedBy?: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
  demo: boolean;
}

export function AppealsPage({ username }: { username: string }) {
  const t = useT();
  const [show, setShow] = useState<'open' | 'decided'>('open');
  const [appeals, setAppeals] = useState<AppealEntry[]>();
  const [error, setError] = useState<{ error: unknown }>();
  const now = Date.now();
  useFocusHeading('appeals');
  useEffect(() => {
    setAppeals(undefined);
    api<{ appeals: AppealEntry[] }>(`/v1/review/appeals?state=${show}`).then(
      (response) => setAppeals(response.appeals),
      (e: unknown) => setError({ error: e }),
    );
  }, [show]);

  return (
    <>
      <h1>{t.text('title.appeals')}</h1>
      <p>{t.text('appeals.intro')}</p>
      <form className="filters" aria-label={t.text('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="appeal-state">{t.text('appeals.show')}</label>
          <select id="appeal-state" value={show} onChange={(e) => setShow(e.target.value as 'open' | 'decided')}>
            <option value="open">{t.text('appeals.showOpen')}</option>
            <option value="decided">{t.text('appeals.showDecided')}</option>
          </select>
        </div>
      </form>
      {error && <p className="error-summary" role="alert">{apiErrorText(t, error.error)}</p>}
      {!appeals && !error && <p>{t.text('appeals.loading')}</p>}
      {appeals && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="appeals-caption">
          <table>
            <caption className="visually-hidden" id="appeals-caption">{t.text('appeals.caption', { count: appeals.length })}</caption>
            <thead>
              <tr><th scope="col">{t.text(show === 'open' ? 'queue.colTimeLeft' : 'appeals.colOutcome')}</th><th scope="col">{t.text('appeals.colAppeal')}</th><th scope="col">{t.text('queue.colCase')}</th><th scope="col">{t.text('queue.colItem')}</th><th scope="col">{t.text(show === 'open' ? 'appeals.colDue' : 'appeals.colDecided')}</th></tr>
            </thead>
            <tbody>
              {appeals.length === 0 && <tr><td colSpan={5}>{t.text(show === 'open' ? 'appeals.noneOpen' : 'appeals.noneDecided')}</td></tr>}
              {appeals.map((appeal) => {
                const left = timeLeftText(t, appeal.dueAt, now);
                const mine = appeal.itemDecidedBy === `staff:${username}`;
                const to = `/review/appeals/${encodeURIComponent(appeal.appealId)}`;
                return (
                  <tr key={appeal.appealId} data-appeal-id={appeal.appealId}>
                    <td>
                      {show === 'open' ? <span className={`time-left ${left.overdue ? 'overdue' : left.ms < 24 * 3_600_000 ? 'soon' : ''}`}>{left.text}</span> : <span className="state-badge">{appealStateText(t, appeal.state)}</span>}
                      {appeal.overdue && <><br /><span className="tag tag-breached">{t.text('appeals.overdue')}</span></>}
                      {mine && <><br /><span className="tag tag-senior">{t.text('appeals.mine')}</span></>}
                      {appeal.demo && <span className="tag tag-demo">{t.text('tag.demo')}</span>}
                    </td>
                    <td><a href={to} onClick={(e) => { e.preventDefault(); navigate(to); }}>{t.text('appeals.opened', { openedAt: t.dateTime(appeal.openedAt) })}</a></td>
                    <td className="mono">{appeal.caseNumber}</td>
                    <td>{stateText(t, appeal.itemState)}</td>
                    <td>{t.dateTime(show === 'open' ? appeal.dueAt : (appeal.decidedAt ?? appeal.dueAt))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** An appeal's state in words, or the raw state for one this page does not know. */
export function appealStateText(t: Translator<ReviewId>, state: string): string {
  return ['open', 'upheld', 'rejected'].includes(state) ? t.text(`appealState.${state}` as ReviewId) : state;
}
