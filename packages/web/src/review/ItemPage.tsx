/**
 * One item under review: the preview (blurred and grey until the reviewer chooses to see it; each unblur is
 * audited on the server), the matches with their distances, the request's statements, the history, and the
 * decision buttons with keyboard shortcuts (C confirm, D decline, E escalate). A decision can cover all the
 * case's undecided items at once (each still recorded on its own). After a decision the reviewer lands on the
 * next item of the queue (decide-and-next), told there what was decided.
 */
import { useEffect, useRef, useState } from 'react';
import { DECLINE_REASONS, signalTypes, type DeclineReason } from '@takedown/core';
import { ApiError, apiBlob } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { navigate } from '../shared/router.ts';
import { stateText, timeLeftText, useT, type ReviewId } from './i18n.ts';
import { csrfTokenNow, permissionsOf, staffApi, type StaffSession } from './session.ts';
import { MinorDuty, type MinorFlag } from './MinorDuty.tsx';
import { StaffRemoval } from './StaffRemoval.tsx';
import type { QueueEntry } from './queue-view.ts';
import { NotifierBox } from './NotifierBox.tsx';
import { Markers } from './Markers.tsx';
import { goWithNotices, noticesHere, type Notice } from './notice.ts';

/** What a decision answers (one item, or a whole case): the next item to decide, if any. */
interface DecisionAnswer {
  next: { itemId: string; caseNumber: string } | null;
}

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
  // "?all=1" (the queue's "Decide all" link): the decision covers every undecided item of the case.
  const [all, setAll] = useState(false);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const base = `/v1/review/items/${encodeURIComponent(itemId)}`;
  const notices = noticesHere();

  const load = () =>
    staffApi<ItemDetail>(base).then(setDetail, (e: unknown) => setError({ error: e }));
  useEffect(() => {
    // Decide-and-next reuses this page for the next item: start it afresh.
    setDetail(undefined);
    setError(undefined);
    setReason('');
    setNote('');
    setFormError(undefined);
    setDone(undefined);
    setAll(new URLSearchParams(window.location.search).get('all') === '1');
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
    if (!detail) return;
    const body = { decision, ...(decision === 'decline' ? { reason } : {}), ...(note.trim() ? { note: note.trim() } : {}) };
    const bulk = decision !== 'escalate' && all && bulkItems.length > 1;
    setBusy(true);
    try {
      const answer = bulk
        ? await staffApi<DecisionAnswer>(`/v1/review/cases/${encodeURIComponent(detail.case.caseNumber)}/decision`, { method: 'POST', body: { ...body, itemIds: bulkItems.map((i) => i.id) } })
        : await staffApi<DecisionAnswer>(`${base}/decision`, { method: 'POST', body });
      const decided: Notice = bulk
        ? { id: 'item.bulkDecided', values: { decision, count: bulkItems.length, caseNumber: detail.case.caseNumber } }
        : { id: 'item.decided', values: { decision, position: detail.item.position + 1, caseNumber: detail.case.caseNumber } };
      // Decide-and-next: on to the next item in deadline order, or back to the queue when none is left.
      if (answer.next) goWithNotices(`/review/items/${encodeURIComponent(answer.next.itemId)}`, [decided, { id: 'item.nextNotice' }]);
      else goWithNotices(detail.item.queue === 'senior' && can.seniorQueue ? '/review/senior' : '/review', [decided, { id: 'queue.allDone' }]);
    } catch (e) {
      // Items changed since the page loaded (a bulk decision decides only what was seen): show them as they are now.
      if (e instanceof ApiError && e.code === 'items_changed') await load();
      setFormError({ field: 'form', error: e });
    } finally {
      setBusy(false);
    }
  };

  const open = detail ? OPEN_STATES.includes(detail.item.state) : false;
  const can = permissionsOf(session.user.role);
  // This item and the case's other undecided items, in their order: what "decide all" covers.
  const bulkItems = detail && detail.item.state === 'pending'
    ? [{ id: detail.item.itemId, position: detail.item.position, state: detail.item.state }, ...detail.case.otherItems.filter((o) => o.state === 'pending')].sort((a, b) => a.position - b.position)
    : [];
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
        {item.markers.length > 0 && <> <Markers entry={item} /></>}
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
      {notices.length > 0 && <p className="notice" role="status" data-testid="decision-notice">{notices.map((n) => t.text(n.id, n.values)).join(' ')}</p>}
      <MinorDuty minor={c.minor} />
      {item.repeatOf && (
        <p className="notice notice-info" data-testid="repeat-of">
          {t.rich(item.repeatOf.kind === 'duplicate' ? 'item.repeatDuplicate' : 'item.repeatResubmission', {
            caseNumber: item.repeatOf.caseNumber,
            position: item.repeatOf.position + 1,
            link: (chunks) => (
              <a href={`/review/items/${encodeURIComponent(item.repeatOf!.itemId)}`} onClick={(e) => { e.preventDefault(); navigate(`/review/items/${encodeURIComponent(item.repeatOf!.itemId)}`); }}>{chunks}</a>
            ),
          })}
        </p>
      )}
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
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t.text('item.matches')}>
            <table>
              <thead><tr><th scope="col">{t.text('item.colSignal')}</th><th scope="col">{t.text('item.colMatched')}</th><th scope="col">{t.text('item.colFrom')}</th><th scope="col">{t.text('item.colDistance')}</th></tr></thead>
              <tbody>
                {detail.matches.map((m, i) => (
                  <tr key={i}><td>{m.signal}</td><td className="mono">{m.matchedRef}</td><td>{m.from}</td><td>{t.text('item.distance', { distance: m.distance, threshold: m.threshold })}</td></tr>
                ))}
              </tbody>
            </table>
            </div>
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
              {bulkItems.length > 1 && (
                <div className="field">
                  <div className="choice">
                    <input type="checkbox" id="decide-all" checked={all} onChange={(e) => setAll(e.target.checked)} aria-describedby="decide-all-hint" />
                    <label htmlFor="decide-all">{t.text('item.decideAll', { count: bulkItems.length, positions: bulkItems.map((i) => `#${i.position + 1}`).join(', ') })}</label>
                  </div>
                  <p className="hint" id="decide-all-hint">{t.text('item.decideAllHint')}</p>
                </div>
              )}
              <div className="form-buttons">
                <button type="button" className="button button-primary" disabled={busy} onClick={() => void decide('confirm')} aria-keyshortcuts="c">{t.text(all && bulkItems.length > 1 ? 'item.confirmAll' : 'item.confirm', { count: bulkItems.length })} <kbd>C</kbd></button>
                <button type="button" className="button" disabled={busy} onClick={() => void decide('decline')} aria-keyshortcuts="d">{t.text(all && bulkItems.length > 1 ? 'item.declineAll' : 'item.decline', { count: bulkItems.length })} <kbd>D</kbd></button>
                {!(all && bulkItems.length > 1) && <button type="button" className="button" disabled={busy} onClick={() => void decide('escalate')} aria-keyshortcuts="e">{t.text('item.escalate')} <kbd>E</kbd></button>}
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
