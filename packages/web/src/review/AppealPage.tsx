/** One uploader's appeal: their statement, the item, and the decision (uphold or reject, with reasons). */
import { useEffect, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { navigate, useFocusHeading } from '../shared/router.ts';
import { formatDateTime, timeLeft } from '../shared/time.ts';
import { staffApi } from './session.ts';
import type { AppealEntry } from './AppealsPage.tsx';

interface AppealDetail extends AppealEntry {
  statement: string | null;
  url?: string;
}

export function AppealPage({ appealId, username }: { appealId: string; username: string }) {
  const [appeal, setAppeal] = useState<AppealDetail>();
  const [loadError, setLoadError] = useState<string>();
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useFocusHeading(appealId);
  const load = () =>
    staffApi<AppealDetail>(`/v1/review/appeals/${encodeURIComponent(appealId)}`).then(setAppeal, (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  useEffect(() => {
    void load();
  }, [appealId]);

  if (loadError) return <><h1>Appeal</h1><p className="error-summary" role="alert">{loadError}</p></>;
  if (!appeal) return <><h1>Appeal</h1><p>Loading…</p></>;

  const decide = async (decision: 'uphold' | 'reject') => {
    setBusy(true);
    setFormError(undefined);
    try {
      await staffApi(`/v1/review/appeals/${encodeURIComponent(appealId)}/decision`, { body: { decision, reason } });
      await load();
    } catch (e) {
      setFormError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const itemLink = `/review/items/${encodeURIComponent(appeal.itemId)}`;
  const mine = appeal.itemDecidedBy === `staff:${username}`;
  const left = timeLeft(appeal.dueAt, Date.now());

  return (
    <>
      <h1>Appeal against a removal</h1>
      <dl>
        <dt>Case</dt>
        <dd className="mono">{appeal.caseNumber}{appeal.demo ? ' (demo)' : ''}</dd>
        <dt>Item</dt>
        <dd><a href={itemLink} onClick={(e) => { e.preventDefault(); navigate(itemLink); }}>{appeal.url ? <span className="break">{appeal.url}</span> : 'Open the item'}</a> ({appeal.itemState})</dd>
        <dt>Item decided by</dt>
        <dd>{appeal.itemDecidedBy ?? 'nobody recorded'}</dd>
        <dt>Opened</dt>
        <dd>{formatDateTime(appeal.openedAt)}</dd>
        <dt>Due</dt>
        <dd>{formatDateTime(appeal.dueAt)}{appeal.state === 'open' ? ` (${left.text})` : ''}</dd>
      </dl>
      <h2>What the uploader says</h2>
      {appeal.statement === null ? <p>The statement was deleted with the case’s personal data.</p> : <blockquote className="statement">{appeal.statement}</blockquote>}
      {appeal.state === 'open' ? (
        mine ? (
          <p className="error-text" role="note">You decided this item, so another senior reviewer must decide this appeal.</p>
        ) : (
          <section className="decision-box" aria-labelledby="appeal-decision-heading">
            <h2 id="appeal-decision-heading">Decision</h2>
            <p>Your reasons are sent to the uploader’s platform. Do not name or describe the person who asked for the removal.</p>
            <div className="field">
              <label htmlFor="appeal-reason">Reasons (required)</label>
              {formError && <p className="error-text" id="appeal-reason-error" role="alert">{formError}</p>}
              <textarea id="appeal-reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={formError ? 'appeal-reason-error' : undefined} aria-invalid={formError ? true : undefined} />
            </div>
            <div className="form-buttons">
              <button type="button" className="button" disabled={busy} onClick={() => void decide('reject')}>Reject: the removal stands</button>
              <button type="button" className="button" disabled={busy} onClick={() => void decide('uphold')}>Uphold: the content may go back</button>
            </div>
          </section>
        )
      ) : (
        <p role="status">
          This appeal was <strong data-appeal-outcome={appeal.state}>{appeal.state}</strong> by {appeal.decidedBy} on {appeal.decidedAt ? formatDateTime(appeal.decidedAt) : '?'}: {appeal.reason}
        </p>
      )}
    </>
  );
}
