/**
 * Notifier safeguards on a declined notice (DSA Art. 23): how many of this notifier's notices were manifestly
 * unfounded, any warning or suspension, and the two staff actions — mark this notice, or lift the standing.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { formatDateTime } from '../shared/time.ts';
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
  const [view, setView] = useState<NotifierView>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const base = `/v1/review/cases/${encodeURIComponent(caseNumber)}`;
  useEffect(() => {
    staffApi<NotifierView>(`${base}/notifier`).then(setView, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [base]);
  if (!view) return error ? <p className="error-text" role="alert">{error}</p> : null;

  const act = async (path: string) => {
    setError(undefined);
    try {
      setView(await staffApi<NotifierView>(`${base}/${path}`, { body: { reason } }));
      setReason('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const standing = view.suspendedUntil ? `Suspended until ${formatDateTime(view.suspendedUntil)}.` : view.warnedAt ? `Warned on ${formatDateTime(view.warnedAt)}.` : 'No warning or suspension.';
  return (
    <section className="decision-box" aria-labelledby="notifier-heading">
      <h2 id="notifier-heading">The notifier</h2>
      <p>{view.unfoundedNotices} manifestly unfounded notice{view.unfoundedNotices === 1 ? '' : 's'} count now. {standing}{view.thisNoticeUnfounded ? ' This notice is marked manifestly unfounded.' : ''}</p>
      {view.contest && (
        <>
          <p>The notifier asked for another look on {formatDateTime(view.contest.at)}:</p>
          {view.contest.statement === null ? <p>(Their words were deleted with their case’s personal data.)</p> : <blockquote className="statement">{view.contest.statement}</blockquote>}
        </>
      )}
      <div className="field">
        <label htmlFor="notifier-reason">Reason (required)</label>
        {error && <p className="error-text" id="notifier-reason-error" role="alert">{error}</p>}
        <textarea id="notifier-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={error ? 'notifier-reason-error' : undefined} />
      </div>
      <div className="form-buttons">
        {caseState === 'rejected' && !view.thisNoticeUnfounded && <button type="button" className="button" onClick={() => void act('unfounded')}>Mark this notice manifestly unfounded</button>}
        {(view.warnedAt || view.suspendedUntil) && <button type="button" className="button" onClick={() => void act('notifier/lift')}>Lift the warning or suspension</button>}
      </div>
    </section>
  );
}
