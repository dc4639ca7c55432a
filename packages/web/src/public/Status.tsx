/**
 * Checking a request with the case number and PIN: each item's state and deadline, adding links, withdrawing.
 * The PIN is sent in a header, never in the address.
 */
import { DEFAULT_REQUEST_LIMITS, normaliseWebAddress } from '@takedown/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { formatDateTime } from '../shared/time.ts';
import { PIN_HEADER } from './request/submit.ts';
import { caseStateWords, itemIsOpen, itemStateWords } from './states.ts';
import { Link } from './Layout.tsx';
import { PersonalData } from './PersonalData.tsx';

export interface CaseItemStatus {
  id: string;
  state: string;
  deadline?: string;
  url?: string;
  /** A copy our checks found: the platform that reported where it is (its claim, not a link you gave). */
  reportedBy?: string;
  hashes?: { pdq?: string; md5?: string; sha256?: string };
  declineReason?: string;
  declineReasonText?: string;
}

export interface CaseStatus {
  caseNumber: string;
  state: string;
  receivedAt?: string;
  items: CaseItemStatus[];
}

const DECLINE_WORDS: Record<string, string> = {
  not_intimate: 'It does not look like an intimate picture as the law describes it.',
  consensual_evidence: 'We found clear signs that it was shared with consent.',
  not_on_platform: 'We could not find it on our site.',
  insufficient_information: 'We did not have enough details to find it.',
  duplicate: 'It is already part of another request.',
  public_interest: 'It is lawful and in the public interest, for example news reporting.',
  other: 'See the note from the reviewer.',
};

function lockedOrWrong(error: unknown): string {
  if (error instanceof ApiError) {
    // The server warns before guessing is slowed, and says until when after: both are passed on in plain words.
    const until = /\d{4}-\d{2}-\d{2}T[\d:.]+Z/.exec(error.message)?.[0];
    if (error.status === 404) {
      const wait = /you will have to wait ([^.]+?) before/.exec(error.message)?.[1];
      const warning = until
        ? ` To keep requests safe from guessing, you can try again after ${formatDateTime(until)}.`
        : wait
          ? ` One more wrong PIN and you will have to wait ${wait} before you can try again.`
          : '';
      return `We could not find a request with that case number and PIN. Check both and try again.${warning}`;
    }
    if (error.status === 429) {
      return `The PIN was wrong too many times from this device. To keep your request safe, please wait. Try again ${until ? `after ${formatDateTime(until)}` : 'in a few minutes'}.`;
    }
    return error.message;
  }
  return String(error);
}

export function Status() {
  const [caseNumber, setCaseNumber] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<{ caseNumber?: string; pin?: string; form?: string }>({});
  const [status, setStatus] = useState<CaseStatus>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [status?.caseNumber]);

  const load = async (number = caseNumber, thePin = pin) => {
    const found: typeof errors = {};
    if (!number.trim()) found.caseNumber = 'Type your case number. You got it when you sent your request.';
    if (!thePin.trim()) found.pin = 'Type your PIN. It was shown with your case number.';
    setErrors(found);
    if (found.caseNumber || found.pin) return;
    setBusy(true);
    try {
      setStatus(await api<CaseStatus>(`/v1/cases/${encodeURIComponent(number.trim())}`, { headers: { [PIN_HEADER]: thePin.trim() } }));
    } catch (error) {
      setErrors({ form: lockedOrWrong(error) });
    } finally {
      setBusy(false);
    }
  };

  if (!status) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>Check your request</h1>
        <p>Type the case number and PIN you got when you sent your request.</p>
        {errors.form && <p className="error-summary" role="alert" id="status-error">{errors.form}</p>}
        <form noValidate onSubmit={(e) => { e.preventDefault(); void load(); }}>
          <Field id="case-number" label="Case number" error={errors.caseNumber}>
            {(aria) => <input {...aria} type="text" autoComplete="off" spellCheck={false} value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} />}
          </Field>
          <Field id="case-pin" label="PIN" error={errors.pin}>
            {(aria) => <input {...aria} type="password" autoComplete="off" inputMode="text" value={pin} onChange={(e) => setPin(e.target.value)} />}
          </Field>
          <div className="form-buttons">
            <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Checking…' : 'Check my request'}</button>
          </div>
        </form>
        <p>Lost your case number or PIN? You can <Link to="/request">send a new request</Link>. It is fine to ask again.</p>
      </>
    );
  }
  return <CaseView status={status} pin={pin.trim()} reload={() => load(status.caseNumber, pin)} heading={heading} />;
}

function CaseView({ status, pin, reload, heading }: { status: CaseStatus; pin: string; reload: () => Promise<void>; heading: React.RefObject<HTMLHeadingElement | null> }) {
  const [newLink, setNewLink] = useState('');
  const [linkError, setLinkError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const open = status.items.some((i) => itemIsOpen(i.state));
  const base = `/v1/cases/${encodeURIComponent(status.caseNumber)}`;

  const addLink = async () => {
    setMessage(undefined);
    const url = newLink.trim();
    if (!url) return setLinkError('Paste the web address first. It starts with https://');
    // The server's own rule, checked here first so the person is told at once.
    const checked = normaliseWebAddress(url, DEFAULT_REQUEST_LIMITS.maxUrlLength);
    if (!checked.ok) return setLinkError(checked.message);
    try {
      await api(`${base}/items`, { method: 'POST', body: { items: [{ url }] }, headers: { [PIN_HEADER]: pin } });
      setNewLink('');
      setLinkError(undefined);
      setMessage('We added the link to your request.');
      await reload();
    } catch (error) {
      // What the server found wrong with the link (core's words, e.g. already listed), else what went wrong.
      setLinkError(error instanceof ApiError && error.fields.length > 0 ? error.fields[0].message : error instanceof Error ? error.message : String(error));
    }
  };

  const withdraw = async () => {
    try {
      await api(`${base}/withdraw`, { method: 'POST', body: {}, headers: { [PIN_HEADER]: pin } });
      setConfirmWithdraw(false);
      setMessage('Your request is withdrawn. We will not act on it.');
      await reload();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>Your request <span className="nowrap">{status.caseNumber}</span></h1>
      <p>Status: <strong>{caseStateWords(status.state)}</strong>{status.receivedAt ? <>. Received {formatDateTime(status.receivedAt)}.</> : '.'}</p>
      <p><button type="button" className="button button-small" onClick={() => { setMessage(undefined); void reload(); }}>Refresh</button></p>
      {message && <p className="notice" role="status">{message}</p>}
      <h2>What you asked us to remove</h2>
      <ul className="case-items">
        {status.items.map((item, index) => {
          const words = itemStateWords(item.state);
          return (
            <li key={item.id} className={`case-item state-${item.state}`} data-item-state={item.state}>
              <h3>Item {index + 1}: {item.reportedBy ? 'a copy we found' : item.url ? <span className="break">{item.url}</span> : 'a picture from your device'}</h3>
              {item.reportedBy && <p>We found this copy of one of your items on {item.reportedBy}. The address comes from {item.reportedBy}, not from you, so we do not show it as a link.</p>}
              <p><span className="state-badge">{words.label}</span> {words.explanation}</p>
              {item.deadline && itemIsOpen(item.state) && item.state !== 'confirmed' && <p>We will decide by <strong>{formatDateTime(item.deadline)}</strong>.</p>}
              {item.state === 'declined' && (item.declineReason || item.declineReasonText) && (
                <p>Reason: {item.declineReason ? DECLINE_WORDS[item.declineReason] ?? item.declineReason : ''} {item.declineReasonText}</p>
              )}
            </li>
          );
        })}
      </ul>
      {status.state !== 'withdrawn' && (
        <>
          <h2>Add another link</h2>
          <form noValidate onSubmit={(e) => { e.preventDefault(); void addLink(); }}>
            <Field id="new-link" label="Link to the page" hint="It starts with https://" error={linkError}>
              {(aria) => <input {...aria} type="url" inputMode="url" value={newLink} onChange={(e) => setNewLink(e.target.value)} />}
            </Field>
            <button type="submit" className="button">Add this link</button>
          </form>
        </>
      )}
      {open && (
        <>
          <h2>Withdraw your request</h2>
          <p>If you change your mind, you can withdraw. We will stop working on the items that are not taken down yet.</p>
          {!confirmWithdraw ? (
            <button type="button" className="button" onClick={() => setConfirmWithdraw(true)}>Withdraw my request</button>
          ) : (
            <div className="confirm-box" role="group" aria-labelledby="withdraw-question">
              <p id="withdraw-question"><strong>Are you sure?</strong> This cannot be undone. You can still send a new request later.</p>
              <div className="form-buttons">
                <button type="button" className="button button-danger" onClick={() => void withdraw()}>Yes, withdraw</button>
                <button type="button" className="button" onClick={() => setConfirmWithdraw(false)}>No, keep it</button>
              </div>
            </div>
          )}
        </>
      )}
      <PersonalData caseNumber={status.caseNumber} pin={pin} onErased={reload} />
    </>
  );
}
