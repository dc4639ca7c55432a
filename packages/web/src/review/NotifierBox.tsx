/**
 * Notifier safeguards on a declined notice (DSA Art. 23): how many of this notifier's notices were manifestly
 * unfounded, any warning or suspension, and the two staff actions — mark this notice, or lift the standing.
 */
import { useEffect, useState } from 'react';
import { apiErrorText } from '../shared/api-error-text.ts';
import { useT } from './i18n.ts';
import { staffApi } from './session.ts';

interface NotifierView {
  unfoundedNotices: number;
  thisNoticeUnfounded: boolean;
  warnedAt?: string;
  suspendedUntil?: string;
  step?: string;
  contest?: { at: string; statement: string | null };
}

export function NotifierBox({ caseNumber, caseState }: { caseNumber: string; caseState: string }) {
  const t = useT();
  const [view, setView] = useState<NotifierView>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const base = `/v1/review/cases/${encodeURIComponent(caseNumber)}`;
  useEffect(() => {
    staffApi<NotifierView>(`${base}/notifier`).then(setView, (e: unknown) => setError(apiErrorText(t, e)));
  }, [base, t]);
  if (!view) return error ? <p className="error-text" role="alert">{error}</p> : null;

  const act = async (path: string) => {
    if (!reason.trim()) return setError(t.text('notifier.needReason'));
    setError(undefined);
    try {
      setView(await staffApi<NotifierView>(`${base}/${path}`, { body: { reason } }));
      setReason('');
    } catch (e) {
      setError(apiErrorText(t, e));
    }
  };
  const standing = view.suspendedUntil
    ? t.text('notifier.suspended', { until: t.dateTime(view.suspendedUntil) })
    : view.warnedAt
      ? t.text('notifier.warned', { at: t.dateTime(view.warnedAt) })
      : t.text('notifier.clear');
  return (
    <section className="decision-box" aria-labelledby="notifier-heading">
      <h2 id="notifier-heading">{t.text('notifier.heading')}</h2>
      <p>{[t.text('notifier.count', { count: view.unfoundedNotices }), standing, view.thisNoticeUnfounded ? t.text('notifier.thisUnfounded') : ''].filter(Boolean).join(' ')}</p>
      {view.contest && (
        <>
          <p>{t.text('notifier.contest', { at: t.dateTime(view.contest.at) })}</p>
          {view.contest.statement === null ? <p>{t.text('notifier.contestDeleted')}</p> : <blockquote className="statement">{view.contest.statement}</blockquote>}
        </>
      )}
      <div className="field">
        <label htmlFor="notifier-reason">{t.text('notifier.reason')}</label>
        {error && <p className="error-text" id="notifier-reason-error" role="alert">{error}</p>}
        <textarea id="notifier-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={error ? 'notifier-reason-error' : undefined} />
      </div>
      <div className="form-buttons">
        {caseState === 'rejected' && !view.thisNoticeUnfounded && <button type="button" className="button" onClick={() => void act('unfounded')}>{t.text('notifier.mark')}</button>}
        {(view.warnedAt || view.suspendedUntil) && <button type="button" className="button" onClick={() => void act('notifier/lift')}>{t.text('notifier.lift')}</button>}
      </div>
    </section>
  );
}
