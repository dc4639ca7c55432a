/**
 * One item under review: the preview (blurred and grey until the reviewer chooses to see it; each unblur is
 * audited on the server), the matches with their distances, the request's statements, the history, and the
 * decision buttons with keyboard shortcuts (C confirm, D decline, E escalate).
 */
import { useEffect, useRef, useState } from 'react';
import { DECLINE_REASONS, DECLINE_REASON_DESCRIPTIONS, signalTypes, type DeclineReason } from '@takedown/core';
import { apiBlob } from '../shared/api.ts';
import { navigate } from '../shared/router.ts';
import { formatDateTime, timeLeft } from '../shared/time.ts';
import { csrfTokenNow, permissionsOf, staffApi, type StaffSession } from './session.ts';
import { MinorDuty, type MinorFlag } from './MinorDuty.tsx';
import type { QueueEntry } from './queue-view.ts';

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
  const [detail, setDetail] = useState<ItemDetail>();
  const [error, setError] = useState<string>();
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [note, setNote] = useState('');
  const [formError, setFormError] = useState<{ field: 'reason' | 'note' | 'form'; message: string }>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const base = `/v1/review/items/${encodeURIComponent(itemId)}`;

  const load = () =>
    staffApi<ItemDetail>(base).then(setDetail, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  useEffect(() => {
    void load();
  }, [itemId]);

  const decide = async (decision: Decision) => {
    setFormError(undefined);
    if (decision === 'decline') {
      if (!reason) {
        reasonRef.current?.focus();
        return setFormError({ field: 'reason', message: 'Choose a reason to decline from the list.' });
      }
      if (reason === 'other' && !note.trim()) return setFormError({ field: 'note', message: 'Write the reason in the note when you choose "Other".' });
    }
    if (decision === 'escalate' && !note.trim()) {
      document.getElementById('decision-note')?.focus();
      return setFormError({ field: 'note', message: 'Write in the note why you escalate, for the senior reviewer.' });
    }
    setBusy(true);
    try {
      await staffApi(`${base}/decision`, {
        method: 'POST',
        body: { decision, ...(decision === 'decline' ? { reason } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setDone(decision === 'confirm' ? 'Removal confirmed.' : decision === 'decline' ? 'Declined.' : 'Escalated to the senior queue.');
      await load();
    } catch (e) {
      setFormError({ field: 'form', message: e instanceof Error ? e.message : String(e) });
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

  if (error) return <><h1>Item</h1><p className="error-summary" role="alert">{error}</p></>;
  if (!detail) return <p>Loading the item…</p>;
  const { item } = detail;
  const left = timeLeft(item.deadline, Date.now());
  const c = detail.case;
  const st = c.statements;

  return (
    <>
      <p><a href="/review" onClick={(e) => { e.preventDefault(); navigate('/review'); }}>← Back to the queue</a></p>
      <h1>Item in case <span className="mono">{c.caseNumber}</span></h1>
      <p>
        <span className={`time-left ${left.overdue ? 'overdue' : ''}`}>{left.text}</span> (deadline {formatDateTime(item.deadline)}) · state <strong data-testid="item-state">{item.state.replace(/_/g, ' ')}</strong>
        {(item.breached || left.overdue) && <> <span className="tag tag-breached">Breached</span></>}
        {(item.escalationLevel ?? 0) > 0 && <> <span className="tag tag-escalated">Escalated {item.escalationLevel}</span></>}
        {item.queue === 'senior' && <> <span className="tag tag-senior">Senior review</span></>}
        {item.demo && <> <span className="tag tag-demo">Demo</span></>}
      </p>
      <MinorDuty minor={c.minor} />
      {done && <p className="notice" role="status">{done}</p>}
      <div className="item-layout">
        <section aria-labelledby="content-heading">
          <h2 id="content-heading">The content</h2>
          {item.url && !item.reportedBy && <p>Link: <a className="break" href={item.url} rel="noreferrer noopener" target="_blank">{item.url}</a></p>}
          {item.url && item.reportedBy && (
            <p>
              Address reported by the platform {item.reportedBy} (a copy the known-copy sweep found; not given by the person, not checked):{' '}
              <code className="break">{item.url}</code>
            </p>
          )}
          {item.hostedBy.length > 0
            ? <p data-testid="hosted-by">Hosted by {item.hostedBy.join(', ')}: only {item.hostedBy.length > 1 ? 'they are' : 'it is'} told to remove it, and only {item.hostedBy.length > 1 ? 'they' : 'it'} can confirm the removal.</p>
            : <p data-testid="hosted-by">No connected platform hosts this content (no content index holds it, no platform declares its address&apos;s host): once confirmed, contact the site yourself.</p>}
          <Preview itemId={itemId} shared={c.shareMedia} canUnblur={can.unblur} onUnblurred={() => void load()} />
          <ItemHashes hashes={item.hashes} />
          <h2>Matches</h2>
          {detail.matches.length > 0 ? (
            <table>
              <thead><tr><th scope="col">Signal</th><th scope="col">Matched</th><th scope="col">From</th><th scope="col">Distance</th></tr></thead>
              <tbody>
                {detail.matches.map((m, i) => (
                  <tr key={i}><td>{m.signal}</td><td className="mono">{m.matchedRef}</td><td>{m.from}</td><td>{m.distance} bits (threshold {m.threshold})</td></tr>
                ))}
              </tbody>
            </table>
          ) : <p>No matches found in the content index or in followed feeds.</p>}
        </section>
        <section aria-labelledby="request-heading">
          <h2 id="request-heading">The request</h2>
          {st ? (
            <dl>
              <dt>Requester</dt>
              <dd>{st.requester.fullName}{st.requester.role === 'representative' ? `, acting for ${st.requester.depictedPersonName ?? '?'} (${st.requester.relationship ?? '?'})` : ', the person depicted'}</dd>
              <dt>Good-faith statement</dt>
              <dd>{st.goodFaith.affirmed ? 'Affirmed. ' : 'Not affirmed. '}<q>{st.goodFaith.statement}</q></dd>
              <dt>Signature</dt>
              <dd>{st.signature.fullName}{st.signature.signedAt ? `, ${formatDateTime(st.signature.signedAt)}` : ''}</dd>
              <dt>Contact</dt>
              <dd>{[st.contact.email, st.contact.phone].filter(Boolean).join(', ')}</dd>
            </dl>
          ) : <p>The statements were deleted after the retention period.</p>}
          {item.routeReasons.length > 0 && <p>Routed for senior review because: {item.routeReasons.join('; ')}</p>}
          {c.otherItems.length > 0 && <p>Other items in this case: {c.otherItems.map((o) => `#${o.position + 1} ${o.state}`).join(', ')}</p>}
          {canDecide ? (
            <section className="decision-box" aria-labelledby="decision-heading">
              <h2 id="decision-heading">Decision</h2>
              {formError?.field === 'form' && <p className="error-text" role="alert">{formError.message}</p>}
              <div className="field">
                <label htmlFor="decline-reason">Reason, if you decline</label>
                {formError?.field === 'reason' && <p className="error-text" id="decline-reason-error" role="alert">{formError.message}</p>}
                <select id="decline-reason" ref={reasonRef} value={reason} onChange={(e) => setReason(e.target.value as DeclineReason)} aria-describedby={formError?.field === 'reason' ? 'decline-reason-error' : undefined} aria-invalid={formError?.field === 'reason' ? true : undefined}>
                  <option value="">Choose a reason…</option>
                  {DECLINE_REASONS.map((r) => <option key={r} value={r}>{DECLINE_REASON_DESCRIPTIONS[r]}</option>)}
                </select>
              </div>
              <div className="field">
                <label htmlFor="decision-note">Note (optional; required for "Other")</label>
                {formError?.field === 'note' && <p className="error-text" id="decision-note-error" role="alert">{formError.message}</p>}
                <textarea id="decision-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={formError?.field === 'note' ? 'decision-note-error' : undefined} />
              </div>
              <div className="form-buttons">
                <button type="button" className="button button-primary" disabled={busy} onClick={() => void decide('confirm')} aria-keyshortcuts="c">Confirm removal <kbd>C</kbd></button>
                <button type="button" className="button" disabled={busy} onClick={() => void decide('decline')} aria-keyshortcuts="d">Decline <kbd>D</kbd></button>
                <button type="button" className="button" disabled={busy} onClick={() => void decide('escalate')} aria-keyshortcuts="e">Escalate <kbd>E</kbd></button>
              </div>
            </section>
          ) : (
            <p>This item is <strong>{item.state.replace(/_/g, ' ')}</strong>{item.declineReason ? ` (${item.declineReason.replace(/_/g, ' ')})` : ''}.{open ? ' Your role cannot decide it.' : ' No decision is needed.'}</p>
          )}
          <h2>History</h2>
          {detail.history.length > 0 ? (
            <ol className="history">
              {detail.history.map((h) => (
                <li key={h.seq}>{formatDateTime(h.at)}: <strong>{h.action}</strong> by {h.actor}{h.reason ? ` (${h.reason})` : ''}</li>
              ))}
            </ol>
          ) : <p>No history yet.</p>}
        </section>
      </div>
    </>
  );
}

/** The shared copy, if any: blurred and grey by default (made so on the server); unblurred only on request. */
function Preview({ itemId, shared, canUnblur, onUnblurred }: { itemId: string; shared: boolean; canUnblur: boolean; onUnblurred: () => void }) {
  const [unblurredUrl, setUnblurredUrl] = useState<string>();
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => () => { if (unblurredUrl) URL.revokeObjectURL(unblurredUrl); }, [unblurredUrl]);
  if (!shared || missing) return <p>The requester did not share a copy of this item. Use the link and the fingerprints.</p>;
  if (!canUnblur) return <p>A copy was shared. Your role cannot view media.</p>;
  const base = `/v1/review/items/${encodeURIComponent(itemId)}/media`;
  const unblur = async () => {
    try {
      const blob = await apiBlob(`${base}/unblur`, { method: 'POST', body: {}, headers: { 'x-csrf-token': csrfTokenNow() } });
      setUnblurredUrl(URL.createObjectURL(blob));
      onUnblurred();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="preview-box">
      {unblurredUrl ? (
        <img className="preview" src={unblurredUrl} alt="The shared copy, unblurred" data-testid="unblurred-preview" />
      ) : (
        <img className="preview" src={`${base}/preview`} alt="The shared copy, blurred and in greyscale" data-testid="blurred-preview" onError={() => setMissing(true)} />
      )}
      {error && <p className="error-text" role="alert">{error}</p>}
      {unblurredUrl ? (
        <button type="button" className="button button-small" onClick={() => setUnblurredUrl(undefined)}>Blur again</button>
      ) : (
        <button type="button" className="button button-small" onClick={() => void unblur()}>Show unblurred (this is logged)</button>
      )}
    </div>
  );
}

/** The hashes an item was identified by, each as its signal type names and writes it. */
function ItemHashes({ hashes }: { hashes: Record<string, unknown> }) {
  const values = Object.entries(signalTypes.readAll(hashes).values);
  if (values.length === 0) return null;
  return (
    <dl className="mono">
      {values.map(([name, value]) => {
        const type = signalTypes.get(name)!;
        const quality = type.quality?.(value);
        return (
          <div key={name}>
            <dt>{type.label}{quality === undefined ? '' : ` (quality ${quality})`}</dt>
            <dd>{type.formatText(value)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
