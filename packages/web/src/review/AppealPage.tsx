/** One uploader's appeal: their statement, the item, and the decision (uphold or reject, with reasons). */
import { useEffect, useState } from 'react';
import { apiErrorText } from '../shared/api-error-text.ts';
import { navigate, useFocusHeading } from '../shared/router.ts';
import { stateText, timeLeftText, useT } from './i18n.ts';
import { staffApi } from './session.ts';
import { appealStateText, type AppealEntry } from './AppealsPage.tsx';

interface AppealDetail extends AppealEntry {
  statement: string | null;
  url?: string;
}

export function AppealPage({ appealId, username }: { appealId: string; username: string }) {
  const t = useT();
  const [appeal, setAppeal] = useState<AppealDetail>();
  const [loadError, setLoadError] = useState<{ error: unknown }>();
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useFocusHeading(appealId);
  const load = () =>
    staffApi<AppealDetail>(`/v1/review/appeals/${encodeURIComponent(appealId)}`).then(setAppeal, (e: unknown) => setLoadError({ error: e }));
  useEffect(() => {
    void load();
  }, [appealId]);

  if (loadError) return <><h1>{t.text('title.appeal')}</h1><p className="error-summary" role="alert">{apiErrorText(t, loadError.error)}</p></>;
  if (!appeal) return <><h1>{t.text('title.appeal')}</h1><p>{t.text('console.loading')}</p></>;

  const decide = async (decision: 'uphold' | 'reject') => {
    if (!reason.trim()) return setFormError(t.text('appeal.needReasons'));
    setBusy(true);
    setFormError(undefined);
    try {
      await staffApi(`/v1/review/appeals/${encodeURIComponent(appealId)}/decision`, { body: { decision, reason } });
      await load();
    } catch (e) {
      setFormError(apiErrorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  const itemLink = `/review/items/${encodeURIComponent(appeal.itemId)}`;
  const mine = appeal.itemDecidedBy === `staff:${username}`;
  const left = timeLeftText(t, appeal.dueAt, Date.now());

  return (
    <>
      <h1>{t.text('appeal.heading')}</h1>
      <dl>
        <dt>{t.text('queue.colCase')}</dt>
        <dd className="mono">{appeal.demo ? t.text('appeal.caseDemo', { caseNumber: appeal.caseNumber }) : appeal.caseNumber}</dd>
        <dt>{t.text('queue.colItem')}</dt>
        <dd><a href={itemLink} onClick={(e) => { e.preventDefault(); navigate(itemLink); }}>{appeal.url ? <span className="break">{appeal.url}</span> : t.text('appeal.openItem')}</a> ({stateText(t, appeal.itemState)})</dd>
        <dt>{t.text('appeal.itemDecidedBy')}</dt>
        <dd>{appeal.itemDecidedBy ?? t.text('appeal.nobody')}</dd>
        <dt>{t.text('appeal.opened')}</dt>
        <dd>{t.dateTime(appeal.openedAt)}</dd>
        <dt>{t.text('appeal.due')}</dt>
        <dd>{appeal.state === 'open' ? t.text('appeal.dueLeft', { due: t.dateTime(appeal.dueAt), left: left.text }) : t.dateTime(appeal.dueAt)}</dd>
      </dl>
      <h2>{t.text('appeal.statement')}</h2>
      {appeal.statement === null ? <p>{t.text('appeal.statementDeleted')}</p> : <blockquote className="statement">{appeal.statement}</blockquote>}
      {appeal.state === 'open' ? (
        mine ? (
          <p className="error-text" role="note">{t.text('appeal.mine')}</p>
        ) : (
          <section className="decision-box" aria-labelledby="appeal-decision-heading">
            <h2 id="appeal-decision-heading">{t.text('item.decision')}</h2>
            <p>{t.text('appeal.decisionHint')}</p>
            <div className="field">
              <label htmlFor="appeal-reason">{t.text('appeal.reasons')}</label>
              {formError && <p className="error-text" id="appeal-reason-error" role="alert">{formError}</p>}
              <textarea id="appeal-reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={formError ? 'appeal-reason-error' : undefined} aria-invalid={formError ? true : undefined} />
            </div>
            <div className="form-buttons">
              <button type="button" className="button" disabled={busy} onClick={() => void decide('reject')}>{t.text('appeal.reject')}</button>
              <button type="button" className="button" disabled={busy} onClick={() => void decide('uphold')}>{t.text('appeal.uphold')}</button>
            </div>
          </section>
        )
      ) : (
        <p role="status">
          {t.rich('appeal.decided', {
            outcome: appealStateText(t, appeal.state),
            decidedBy: appeal.decidedBy ?? '?',
            decidedAt: appeal.decidedAt ? t.dateTime(appeal.decidedAt) : '?',
            reason: appeal.reason ?? '',
            strong: (chunks) => <strong data-appeal-outcome={appeal.state}>{chunks}</strong>,
          })}
        </p>
      )}
    </>
  );
}
