/**
 * One item under review: the preview (blurred and grey until the reviewer chooses to see it; each unblur is
 * audited on the server), the matches with their distances, the request's statements, the history, and the
 * decision buttons with keyboard shortcuts (C confirm, D decline, E escalate).
 */
import { useEffect, useRef, useState } from 'react';
import { DECLINE_REASONS, signalTypes, type DeclineReason } from '@takedown/core';
import { apiBlob } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { navigate } from '../shared/router.ts';
import { stateText, timeLeftText, useT, type ReviewId } from './i18n.ts';
import { csrfTokenNow, permissionsOf, staffApi, type StaffSession } from './session.ts';
import { MinorDuty, type MinorFlag } from './MinorDuty.tsx';
import { StaffRemoval } from './StaffRemoval.tsx';
import type { QueueEntry } from './queue-view.ts';
import { NotifierBox } from './NotifierBox.tsx';

/** GET /v1/review/items/:id */
export interface ItemDetail {
  item: QueueEntry & {
    declineReason?: string;
    declineNote?: string;
    escalationReason?: string;
    decidedBy?: string;
    decidedAt?: string;
    removedAt?: string;
    hostedBy: string[];
  };
  case: {
    caseNumber: string;
    state: string;
    receivedAt: string;
    signedAt: string;
    shareMedia: boolean;
    requesterRole: string;
    jurisdictionReason?: { source: 'platform' | 'requester_location' | 'deployment_default' | 'regulator_notice'; reason: string; removalDeadlineHours: number; platform?: string; shortest: boolean };
    regulatorNotice?: { regulator: string; reference: string; periodHours: number | null; receivedAt: string; dueAt: string; enteredBy: string };
    minor?: MinorFlag;
    statements: {
      requester: { role?: string; fullName?: string; relationship?: string; depictedPersonName?: string };
      contact: { email?: string; phone?: string };
      goodFaith: { affirmed?: boolean; statement?: string };
      signature: { fullName?: string; signedAt?: string; statement?: string };
    } | null;
    otherItems: { id: string; position: number; state: string }[];
  };
  matches: { signal: string; matchedRef: string; from: string; distance: number; threshold: number; foundAt: string }[];
  history: { seq: number; at: string; actor: string; action: string; reason: string | null }[];
}

type Decision = 'confirm' | 'decline' | 'escalate';
const OPEN_STATES = ['pending', 'in_review'];

export function ItemPage({ itemId, session }: { itemId: string; session: StaffSession }) {
  const t = useT();
  const [detail, setDetail] = useState<ItemDetail>();
  const [error, setError] = useState<{ error: unknown }>();
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [note, setNote] = useState('');
  // Kept as message ids (or the server's answer) and put in words when shown.
  const [formError, setFormError] = useState<{ field: 'reason' | 'note'; message: ReviewId } | { field: 'form'; error: unknown }>();
  const formErrorText = formError ? (formError.field === 'form' ? apiErrorText(t, formError.error) : t.text(formError.message)) : '';
  const [done, setDone] = useState<ReviewId>();
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const base = `/v1/review/items/${encodeURIComponent(itemId)}`;

  const load = () =>
    staffApi<ItemDetail>(base).then(setDetail, (e: unknown) => setError({ error: e }));
  useEffect(() => {
    void load();
  }, [itemId]);

  const decide = async (decision: Decision) => {
    setFormError(undefined);
    if (decision === 'decline') {
      if (!reason) {
        reasonRef.current?.focus();
        return setFormError({ field: 'reason', message: 'item.needReason' });
      }
      if (reason === 'other' && !note.trim()) return setFormError({ field: 'note', message: 'item.needNoteOther' });
    }
    if (decision === 'escalate' && !note.trim()) {
      document.getElementById('decision-note')?.focus();
      return setFormError({ field: 'note', message: 'item.needNoteEscalate' });
    }
    setBusy(true);
    try {
      await staffApi(`${base}/decision`, {
        method: 'POST',
        body: { decision, ...(decision === 'decline' ? { reason } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setDone(decision === 'confirm' ? 'item.confirmed' : decision === 'decline' ? 'item.declined' : 'item.escalated');
      await load();
    } catch (e) {
      setFormError({ field: 'form', error: e });
    } finally {
      setBusy(false);
    }
  };

  const open = detail ? OPEN_STATES.includes(detail.item.state) : false;
  const can = permissionsOf(session.user.role);
  const canDecide = can.decide && open && (detail?.item.queue !== 'senior' || can.decideEscalated);
  useEffect(() => {
    if (!canDecide) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.ctrlKey || event.metaKey || event.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const key = event.key.toLowerCase();
      if (key === 'c') { event.preventDefault(); void decide('confirm'); }
      if (key === 'd') { event.preventDefault(); void decide('decline'); }
      if (key === 'e') { event.preventDefault(); void decide('escalate'); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (error) return <><h1>{t.text('title.item')}</h1><p className="error-summary" role="alert">{apiErrorText(t, error.error)}</p></>;
  if (!detail) return <p>{t.text('item.loading')}</p>;
  const { item } = detail;
  const left = timeLeftText(t, item.deadline, Date.now());
  const c = detail.case;
  const st = c.statements;

  return (
    <>
      <p><a href="/review" onClick={(e) => { e.preventDefault(); navigate('/review'); }}>{t.text('item.back')}</a></p>
      <h1>{t.rich('item.heading', { caseNumber: c.caseNumber, mono: (chunks) => <span className="mono">{chunks}</span> })}</h1>
      <p>
        {t.rich('item.summary', {
          timeLeft: item.removedAt
            ? <span className="time-left">{t.text('item.removedAt', { at: t.dateTime(item.removedAt), inTime: Date.parse(item.removedAt) <= Date.parse(item.deadline) ? 'yes' : 'no' })}</span>
            : <span className={`time-left ${left.overdue ? 'overdue' : ''}`}>{left.text}</span>,
          deadline: t.dateTime(item.deadline),
          state: stateText(t, item.state),
          strong: (chunks) => <strong data-testid="item-state">{chunks}</strong>,
        })}
        {(item.breached || left.overdue) && <> <span className="tag tag-breached">{t.text('tag.breached')}</span></>}
        {(item.escalationLevel ?? 0) > 0 && <> <span className="tag tag-escalated">{t.text('tag.escalated', { level: item.escalationLevel })}</span></>}
        {item.queue === 'senior' && <> <span className="tag tag-senior">{t.text('tag.seniorReview')}</span></>}
        {item.demo && <> <span className="tag tag-demo">{t.text('tag.demo')}</span></>}
        {item.regulatorNotice && <> <span className="tag tag-notice">{t.text('tag.regulatorNotice', { regulator: item.regulatorNotice.regulator })}</span></>}
      </p>
      <Jurisdiction code={item.jurisdiction} why={c.jurisdictionReason} />
      {c.regulatorNotice && (
        <section className="notice-box" aria-labelledby="notice-heading" data-testid="regulator-notice">
          <h2 id="notice-heading">{t.text('item.noticeHeading')}</h2>
          <p>
            {t.text('item.noticeFrom', { regulator: c.regulatorNotice.regulator, reference: c.regulatorNotice.reference })}{' '}
            {c.regulatorNotice.periodHours !== null
              ? t.text('item.noticePeriod', { hours: c.regulatorNotice.periodHours, received: t.dateTime(c.regulatorNotice.receivedAt) })
              : t.text('item.noticeDue', { due: t.dateTime(c.regulatorNotice.dueAt), received: t.dateTime(c.regulatorNotice.receivedAt) })}{' '}
            {t.text('item.noticeEnteredBy', { who: c.regulatorNotice.enteredBy })}
          </p>
        </section>
      )}
      <MinorDuty minor={c.minor} />
      {done && <p className="notice" role="status">{t.text(done)}</p>}
      <div className="item-layout">
        <section aria-labelledby="content-heading">
          <h2 id="content-heading">{t.text('item.content')}</h2>
          {item.url && !item.reportedBy && <p>{t.text('item.link')} <a className="break" href={item.url} rel="noreferrer noopener" target="_blank">{item.url}</a></p>}
          {item.url && item.reportedBy && (
            <p>
              {t.text('item.reportedAddress', { platform: item.reportedBy })}{' '}
              <code className="break">{item.url}</code>
            </p>
          )}
          {item.hostedBy.length > 0
            ? <p data-testid="hosted-by">{t.text('item.hostedBy', { count: item.hostedBy.length, platforms: t.intl.formatList(item.hostedBy, { type: 'conjunction' }) })}</p>
            : <p data-testid="hosted-by">{t.text('item.hostedByNone')}</p>}
          <Preview itemId={itemId} shared={c.shareMedia} canUnblur={can.unblur} onUnblurred={() => void load()} />
          <ItemHashes hashes={item.hashes} />
          <h2>{t.text('item.matches')}</h2>
          {detail.matches.length > 0 ? (
            <table>
              <thead><tr><th scope="col">{t.text('item.colSignal')}</th><th scope="col">{t.text('item.colMatched')}</th><th scope="col">{t.text('item.colFrom')}</th><th scope="col">{t.text('item.colDistance')}</th></tr></thead>
              <tbody>
                {detail.matches.map((m, i) => (
                  <tr key={i}><td>{m.signal}</td><td className="mono">{m.matchedRef}</td><td>{m.from}</td><td>{t.text('item.distance', { distance: m.distance, threshold: m.threshold })}</td></tr>
                ))}
              </tbody>
            </table>
          ) : <p>{t.text('item.noMatches')}</p>}
        </section>
        <section aria-labelledby="request-heading">
          <h2 id="request-heading">{t.text('item.request')}</h2>
          {st ? (
            <dl>
              <dt>{t.text('item.requester')}</dt>
              <dd>
                {st.requester.role === 'representative'
                  ? t.text('item.requesterFor', { name: st.requester.fullName ?? '', depicted: st.requester.depictedPersonName ?? '?', relationship: st.requester.relationship ?? '?' })
                  : t.text('item.requesterSelf', { name: st.requester.fullName ?? '' })}
              </dd>
              <dt>{t.text('item.goodFaith')}</dt>
              <dd>{t.text(st.goodFaith.affirmed ? 'item.affirmed' : 'item.notAffirmed')} <q>{st.goodFaith.statement}</q></dd>
              <dt>{t.text('item.signature')}</dt>
              <dd>{st.signature.fullName}{st.signature.signedAt ? `, ${t.dateTime(st.signature.signedAt)}` : ''}</dd>
              <dt>{t.text('item.contact')}</dt>
              <dd>{[st.contact.email, st.contact.phone].filter(Boolean).join(', ')}</dd>
            </dl>
          ) : <p>{t.text(c.regulatorNotice ? 'item.noRequester' : 'item.deleted')}</p>}
          {item.routeReasons.length > 0 && <p>{t.text('item.routed', { reasons: item.routeReasons.join('; ') })}</p>}
          {c.otherItems.length > 0 && <p>{t.text('item.otherItems', { items: c.otherItems.map((o) => `#${o.position + 1} ${stateText(t, o.state)}`).join(', ') })}</p>}
          {can.judgeNotifiers && c.state === 'rejected' && <NotifierBox caseNumber={c.caseNumber} caseState={c.state} />}
          {canDecide ? (
            <section className="decision-box" aria-labelledby="decision-heading">
              <h2 id="decision-heading">{t.text('item.decision')}</h2>
              {formError?.field === 'form' && <p className="error-text" role="alert">{formErrorText}</p>}
              <div className="field">
                <label htmlFor="decline-reason">{t.text('item.reason')}</label>
                {formError?.field === 'reason' && <p className="error-text" id="decline-reason-error" role="alert">{formErrorText}</p>}
                <select id="decline-reason" ref={reasonRef} value={reason} onChange={(e) => setReason(e.target.value as DeclineReason)} aria-describedby={formError?.field === 'reason' ? 'decline-reason-error' : undefined} aria-invalid={formError?.field === 'reason' ? true : undefined}>
                  <option value="">{t.text('item.chooseReason')}</option>
                  {DECLINE_REASONS.map((r) => <option key={r} value={r}>{t.text(`decline.${r}`)}</option>)}
                </select>
              </div>
              <div className="field">
                <label htmlFor="decision-note">{t.text('item.note')}</label>
                {formError?.field === 'note' && <p className="error-text" id="decision-note-error" role="alert">{formErrorText}</p>}
                <textarea id="decision-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={formError?.field === 'note' ? 'decision-note-error' : undefined} />
              </div>
              <div className="form-buttons">
                <button type="button" className="button button-primary" disabled={busy} onClick={() => void decide('confirm')} aria-keyshortcuts="c">{t.text('item.confirm')} <kbd>C</kbd></button>
                <button type="button" className="button" disabled={busy} onClick={() => void decide('decline')} aria-keyshortcuts="d">{t.text('item.decline')} <kbd>D</kbd></button>
                <button type="button" className="button" disabled={busy} onClick={() => void decide('escalate')} aria-keyshortcuts="e">{t.text('item.escalate')} <kbd>E</kbd></button>
              </div>
            </section>
          ) : (
            <p>
              {t.rich('item.isState', { state: stateText(t, item.state), reason: item.declineReason ? ` (${item.declineReason.replace(/_/g, ' ')})` : '', strong: (chunks) => <strong>{chunks}</strong> })}{' '}
              {t.text(open ? 'item.cannotDecide' : 'item.noDecision')}
            </p>
          )}
          {item.state === 'confirmed' && item.hostedBy.length === 0 && can.decide && (item.queue !== 'senior' || can.decideEscalated) && (
            <StaffRemoval itemId={itemId} onRecorded={() => { setDone('item.removalRecorded'); void load(); }} />
          )}
          <h2>{t.text('item.history')}</h2>
          {detail.history.length > 0 ? (
            <ol className="history">
              {detail.history.map((h) => (
                <li key={h.seq}>{t.rich('item.historyLine', { at: t.dateTime(h.at), action: h.action, actor: h.actor, reason: h.reason ? ` (${h.reason})` : '', strong: (chunks) => <strong>{chunks}</strong> })}</li>
              ))}
            </ol>
          ) : <p>{t.text('item.noHistory')}</p>}
        </section>
      </div>
    </>
  );
}

/** Which rules the case runs on, and why: the platform's setting, the requester's location, the default or a notice. */
function Jurisdiction({ code, why }: { code: string; why: ItemDetail['case']['jurisdictionReason'] }) {
  const t = useT();
  if (!why) return <p data-testid="jurisdiction">{t.text('jurisdiction.unrecorded', { code })}</p>;
  return (
    <p data-testid="jurisdiction">
      {t.text(`jurisdiction.${why.source}`, { code, hours: why.removalDeadlineHours, platform: why.platform ?? '' })}
      {why.shortest && <> {t.text('jurisdiction.shortest')}</>}
    </p>
  );
}

/** The shared copy, if any: blurred and grey by default (made so on the server); unblurred only on request. */
function Preview({ itemId, shared, canUnblur, onUnblurred }: { itemId: string; shared: boolean; canUnblur: boolean; onUnblurred: () => void }) {
  const t = useT();
  const [unblurredUrl, setUnblurredUrl] = useState<string>();
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<{ error: unknown }>();
  useEffect(() => () => { if (unblurredUrl) URL.revokeObjectURL(unblurredUrl); }, [unblurredUrl]);
  if (!shared || missing) return <p>{t.text('item.notShared')}</p>;
  if (!canUnblur) return <p>{t.text('item.sharedNoView')}</p>;
  const base = `/v1/review/items/${encodeURIComponent(itemId)}/media`;
  const unblur = async () => {
    try {
      const blob = await apiBlob(`${base}/unblur`, { method: 'POST', body: {}, headers: { 'x-csrf-token': csrfTokenNow() } });
      setUnblurredUrl(URL.createObjectURL(blob));
      onUnblurred();
    } catch (e) {
      setError({ error: e });
    }
  };
  return (
    <div className="preview-box">
      {unblurredUrl ? (
        <img className="preview" src={unblurredUrl} alt={t.text('item.unblurredAlt')} data-testid="unblurred-preview" />
      ) : (
        <img className="preview" src={`${base}/preview`} alt={t.text('item.blurredAlt')} data-testid="blurred-preview" onError={() => setMissing(true)} />
      )}
      {error && <p className="error-text" role="alert">{apiErrorText(t, error.error)}</p>}
      {unblurredUrl ? (
        <button type="button" className="button button-small" onClick={() => setUnblurredUrl(undefined)}>{t.text('item.blurAgain')}</button>
      ) : (
        <button type="button" className="button button-small" onClick={() => void unblur()}>{t.text('item.unblur')}</button>
      )}
    </div>
  );
}

/** The hashes an item was identified by, each as its signal type names and writes it. */
function ItemHashes({ hashes }: { hashes: Record<string, unknown> }) {
  const t = useT();
  const values = Object.entries(signalTypes.readAll(hashes).values);
  if (values.length === 0) return null;
  return (
    <dl className="mono">
      {values.map(([name, value]) => {
        const type = signalTypes.get(name)!;
        const quality = type.quality?.(value);
        return (
          <div key={name}>
            <dt>{quality === undefined ? type.label : t.text('item.quality', { label: type.label, quality })}</dt>
            <dd>{type.formatText(value)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
