/**
 * Checking a request with the case number and PIN: each item's state and deadline, adding links, withdrawing.
 * The PIN is sent in a header, never in the address.
 */
import { DEFAULT_REQUEST_LIMITS, normaliseWebAddress } from '@takedown/core';
import { useEffect, useRef, useState } from 'react';
import type { Translator } from '../i18n/I18n.tsx';
import { ApiError, api } from '../shared/api.ts';
import { apiErrorText, fieldErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT, type PublicId } from './i18n.ts';
import { WARN_WHEN_TRIES_LEFT, waitInWords } from './wait-words.ts';
import { PIN_HEADER } from './request/submit.ts';
import { appealWords, caseStateWords, declineWords, itemIsOpen, itemStateWords } from './states.ts';
import { Link } from './Layout.tsx';
import { NotifierStanding, type NotifierStandingStatus } from './NotifierStanding.tsx';
import { PersonalData } from './PersonalData.tsx';
import { itemKind, namesFromCaseFile, recalledFileNames, rememberFileNames } from './item-names.ts';

export interface CaseItemStatus {
  id: string;
  /** Its place in the request as sent (0 first): the file names the tab kept are aligned with it. */
  position: number;
  state: string;
  deadline?: string;
  /** When the platform took it down. */
  removedAt?: string;
  url?: string;
  /** A picture or a video; absent for a link alone. */
  mediaType?: 'image' | 'video';
  /** A copy our checks found: the platform that reported where it is (its claim, not a link you gave). */
  reportedBy?: string;
  hashes?: { pdq?: string; md5?: string; sha256?: string };
  declineReason?: string;
  declineReasonText?: string;
  /** The uploader appealed the removal: that it exists and how it ended. */
  appeal?: { state: string };
}

export interface CaseStatus {
  caseNumber: string;
  state: string;
  receivedAt?: string;
  items: CaseItemStatus[];
  notifier?: NotifierStandingStatus;
}

const KIND_WORDS = { picture: 'status.kind.picture', video: 'status.kind.video', link: 'status.kind.link', copy: 'status.kind.copy' } as const;

/** A wrong PIN or a lock, in the reader's words, with the server's retry time in their language and zone. */
function lockedOrWrong(t: Translator<PublicId>, error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    const warning = error.retryAt
      ? t.text('status.warnLocked', { retryAt: t.dateTime(error.retryAt) })
      : error.triesBeforeWait !== undefined && error.triesBeforeWait <= WARN_WHEN_TRIES_LEFT && error.waitAfterTriesSeconds
        ? t.text('status.warnTries', { count: error.triesBeforeWait, wait: waitInWords(t, error.waitAfterTriesSeconds) })
        : error.nextWaitSeconds
          ? t.text('status.warnNext', { wait: waitInWords(t, error.nextWaitSeconds) })
          : '';
    return [t.text('status.notFound'), warning].filter(Boolean).join(' ');
  }
  if (error instanceof ApiError && error.status === 429) {
    return error.retryAt ? t.text('status.locked', { retryAt: t.dateTime(error.retryAt) }) : t.text('status.lockedSoon');
  }
  return apiErrorText(t, error);
}

export function Status() {
  const t = useT();
  const [caseNumber, setCaseNumber] = useState('');
  const [pin, setPin] = useState('');
  // Kept as message ids (and the server's answer), put in words when shown: a language switch changes them too.
  const [errors, setErrors] = useState<{ caseNumber?: PublicId; pin?: PublicId; form?: { error: unknown } }>({});
  const [status, setStatus] = useState<CaseStatus>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [status?.caseNumber]);

  const load = async (number = caseNumber, thePin = pin) => {
    const found: typeof errors = {};
    if (!number.trim()) found.caseNumber = 'status.needCaseNumber';
    if (!thePin.trim()) found.pin = 'status.needPin';
    setErrors(found);
    if (found.caseNumber || found.pin) return;
    setBusy(true);
    try {
      setStatus(await api<CaseStatus>(`/v1/cases/${encodeURIComponent(number.trim())}`, { headers: { [PIN_HEADER]: thePin.trim() } }));
    } catch (error) {
      setErrors({ form: { error } });
    } finally {
      setBusy(false);
    }
  };

  if (!status) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>{t.text('status.heading')}</h1>
        <p>{t.text('status.intro')}</p>
        {errors.form && <p className="error-summary" role="alert" id="status-error">{lockedOrWrong(t, errors.form.error)}</p>}
        <form noValidate onSubmit={(e) => { e.preventDefault(); void load(); }}>
          <Field id="case-number" label={t.text('status.caseNumber')} error={errors.caseNumber && t.text(errors.caseNumber)}>
            {(aria) => <input {...aria} type="text" autoComplete="off" spellCheck={false} value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} />}
          </Field>
          <Field id="case-pin" label={t.text('status.pin')} error={errors.pin && t.text(errors.pin)}>
            {(aria) => <input {...aria} type="password" autoComplete="off" inputMode="text" value={pin} onChange={(e) => setPin(e.target.value)} />}
          </Field>
          <div className="form-buttons">
            <button type="submit" className="button button-primary" disabled={busy}>{t.text(busy ? 'status.checking' : 'status.check')}</button>
          </div>
        </form>
        <p>{t.rich('status.lostPin', { link: (chunks) => <Link to="/recover">{chunks}</Link> })}</p>
        <p>{t.rich('status.lost', { link: (chunks) => <Link to="/request">{chunks}</Link> })}</p>
      </>
    );
  }
  return <CaseView status={status} pin={pin.trim()} reload={() => load(status.caseNumber, pin)} heading={heading} />;
}

function CaseView({ status, pin, reload, heading }: { status: CaseStatus; pin: string; reload: () => Promise<void>; heading: React.RefObject<HTMLHeadingElement | null> }) {
  const t = useT();
  const [newLink, setNewLink] = useState('');
  const [linkError, setLinkError] = useState<PublicId | { error: unknown }>();
  // `focus`: the message answers a button that is gone now (an item's withdraw question), so it takes focus.
  type Said = PublicId | { error: unknown; focus?: boolean } | { withdrawnItem: string; focus: true };
  const [message, setMessage] = useState<Said>();
  const stateText = (id: PublicId | undefined, raw: string) => (id ? t.text(id) : raw.replace(/_/g, ' '));
  const words = (said: Said | { error: unknown }) => {
    if (typeof said === 'string') return t.text(said);
    if ('withdrawnItem' in said) return t.text('status.itemWithdrawn', { name: said.withdrawnItem });
    // What the server found wrong with the link (core's code, e.g. too long), else what went wrong.
    return said.error instanceof ApiError && said.error.fields.length > 0 ? fieldErrorText(t, said.error.fields[0]) : apiErrorText(t, said.error);
  };
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  // The person's own file names, kept on this device only (item-names.ts): read when the case opens.
  const [names, setNames] = useState(() => recalledFileNames(status.caseNumber));
  const anyNamed = status.items.some((item) => ['picture', 'video'].includes(itemKind(item)) && names[item.position]);
  const [fileError, setFileError] = useState<PublicId>();
  const [confirmItem, setConfirmItem] = useState<string>();
  const [busyItem, setBusyItem] = useState<string>();
  const confirmBox = useRef<HTMLDivElement>(null);
  const notice = useRef<HTMLParagraphElement>(null);
  // After an item is withdrawn its buttons are gone: the keyboard goes on from what happened.
  useEffect(() => {
    if (message && typeof message === 'object' && message.focus) notice.current?.focus();
  }, [message]);
  // The question takes focus when it opens, so a screen reader reads it and the keyboard is next to the answer.
  useEffect(() => confirmBox.current?.focus(), [confirmItem]);
  /** "Picture 1", "Video 2", "Link 3", "Copy 4": by kind and order, a video never called a picture. */
  const kindWords = (item: CaseItemStatus, index: number) => t.text(KIND_WORDS[itemKind(item)], { number: index + 1 });
  /** The person's own file name when this device knows it, else the kind and order. */
  const nameOf = (item: CaseItemStatus, index: number) => {
    const kind = itemKind(item);
    return ((kind === 'picture' || kind === 'video') && names[item.position]) || kindWords(item, index);
  };

  const readCaseFile = async (file: File | undefined) => {
    if (!file) return;
    // Read here, on the device; nothing of it is sent. A case file is a few hundred bytes.
    const read = namesFromCaseFile(await file.slice(0, 64 * 1024).text(), status.caseNumber);
    if (read.kind !== 'ok') return setFileError(read.kind === 'wrong' ? 'status.namesFileWrong' : 'status.namesFileNone');
    setFileError(undefined);
    rememberFileNames(status.caseNumber, read.names);
    setNames(read.names);
  };

  const withdrawItem = async (item: CaseItemStatus, index: number) => {
    const name = nameOf(item, index);
    setBusyItem(item.id);
    try {
      await api(`${base}/items/${encodeURIComponent(item.id)}/withdraw`, { method: 'POST', body: {}, headers: { [PIN_HEADER]: pin } });
      setConfirmItem(undefined);
      setMessage({ withdrawnItem: name, focus: true });
      await reload();
    } catch (error) {
      setConfirmItem(undefined);
      setMessage({ error, focus: true });
      // Withdrawn or decided meanwhile (another tab, a reviewer): show the item as it is now.
      await reload();
    } finally {
      setBusyItem(undefined);
    }
  };
  const open = status.items.some((i) => itemIsOpen(i.state));
  const base = `/v1/cases/${encodeURIComponent(status.caseNumber)}`;

  const addLink = async () => {
    setMessage(undefined);
    const url = newLink.trim();
    if (!url) return setLinkError('status.addEmpty');
    // The server's own rule, checked here first so the person is told at once.
    const checked = normaliseWebAddress(url, DEFAULT_REQUEST_LIMITS.maxUrlLength);
    if (!checked.ok) return setLinkError(checked.code === 'too_long' ? 'check.linkTooLong' : 'check.linkInvalid');
    try {
      await api(`${base}/items`, { method: 'POST', body: { items: [{ url }] }, headers: { [PIN_HEADER]: pin } });
      setNewLink('');
      setLinkError(undefined);
      setMessage('status.added');
      await reload();
    } catch (error) {
      // What the server found wrong with the link (core's words, e.g. already listed), else what went wrong.
      setLinkError({ error });
    }
  };

  const withdraw = async () => {
    try {
      await api(`${base}/withdraw`, { method: 'POST', body: {}, headers: { [PIN_HEADER]: pin } });
      setConfirmWithdraw(false);
      setMessage('status.withdrawn');
      await reload();
    } catch (error) {
      setMessage({ error });
    }
  };

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>{t.rich('status.yourRequest', { caseNumber: status.caseNumber, nowrap: (chunks) => <span className="nowrap">{chunks}</span> })}</h1>
      <p>{t.rich(status.receivedAt ? 'status.stateReceived' : 'status.state', { state: stateText(caseStateWords(status.state), status.state), receivedAt: t.dateTime(status.receivedAt), strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <p><button type="button" className="button button-small" onClick={() => { setMessage(undefined); void reload(); }}>{t.text('status.refresh')}</button></p>
      {message && <p className="notice" role="status" tabIndex={-1} ref={notice}>{words(message)}</p>}
      {status.notifier && <NotifierStanding standing={status.notifier} base={base} pin={pin} reload={reload} />}
      <h2>{t.text('status.items')}</h2>
      {anyNamed && <p className="hint">{t.text('status.namesNote')}</p>}
      <ul className="case-items">
        {status.items.map((item, index) => {
          const state = itemStateWords(item.state);
          const reason = item.declineReason ? declineWords(item.declineReason) : undefined;
          const appeal = item.appeal ? appealWords(item.appeal.state) : undefined;
          const kind = itemKind(item);
          const fileName = kind === 'picture' || kind === 'video' ? names[item.position] : undefined;
          const headingId = `item-${item.id}`;
          const late = item.deadline !== undefined && new Date(item.deadline).getTime() < Date.now();
          return (
            <li key={item.id} className={`case-item state-${item.state}`} data-item-state={item.state} data-item-kind={kind}>
              <h3 id={headingId}>
                {fileName
                  ? t.rich('status.itemNamed', { kind: kindWords(item, index), name: fileName, file: (chunks) => <span className="break">{chunks}</span> })
                  : kindWords(item, index)}
              </h3>
              {item.url && kind !== 'copy' && <p>{t.rich('status.itemAt', { url: item.url, break: (chunks) => <span className="break">{chunks}</span> })}</p>}
              {item.reportedBy && <p>{t.text('status.copyFound', { platform: item.reportedBy })}</p>}
              <p><span className="state-badge">{stateText(state?.label, item.state)}</span> {state ? t.text(state.explanation) : ''}</p>
              {item.deadline && (item.state === 'pending' || item.state === 'in_review') && <p>{t.rich('status.decideBy', { deadline: t.dateTime(item.deadline), strong: (chunks) => <strong>{chunks}</strong> })}</p>}
              {item.deadline && item.state === 'confirmed' && <p>{t.rich(late ? 'status.removeByLate' : 'status.removeBy', { deadline: t.dateTime(item.deadline), strong: (chunks) => <strong>{chunks}</strong> })}</p>}
              {item.removedAt && item.state === 'removed' && <p>{t.rich('status.removedAt', { removedAt: t.dateTime(item.removedAt), strong: (chunks) => <strong>{chunks}</strong> })}</p>}
              {item.state === 'declined' && (item.declineReason || item.declineReasonText) && (
                <p>{t.text('status.reason', { reason: [reason ? t.text(reason) : item.declineReason ?? '', item.declineReasonText ?? ''].join(' ').trim() })}</p>
              )}
              {item.appeal && appeal && <p className="notice" data-appeal-state={item.appeal.state}>{t.text(appeal)}</p>}
              {itemIsOpen(item.state) && status.state !== 'withdrawn' && (
                confirmItem === item.id ? (
                  <div className="confirm-box" role="group" aria-labelledby={`${headingId}-question`} tabIndex={-1} ref={confirmBox}>
                    <p id={`${headingId}-question`}>{t.rich('status.itemWithdrawSure', { name: nameOf(item, index), strong: (chunks) => <strong>{chunks}</strong> })}</p>
                    <div className="form-buttons">
                      <button type="button" className="button button-danger" disabled={busyItem !== undefined} onClick={() => void withdrawItem(item, index)}>{t.text('status.itemWithdrawYes')}</button>
                      <button type="button" className="button" onClick={() => setConfirmItem(undefined)}>{t.text('status.itemWithdrawNo')}</button>
                    </div>
                  </div>
                ) : (
                  <p><button type="button" className="button button-small" aria-describedby={headingId} onClick={() => { setMessage(undefined); setConfirmItem(item.id); }}>{t.text('status.itemWithdraw')}</button></p>
                )
              )}
            </li>
          );
        })}
      </ul>
      {!anyNamed && status.items.some((item) => ['picture', 'video'].includes(itemKind(item))) && (
        <Field id="case-file" label={t.text('status.namesFileLabel')} hint={t.text('status.namesFromFile')} error={fileError && t.text(fileError)}>
          {(aria) => <input {...aria} type="file" accept=".txt,text/plain" onChange={(e) => void readCaseFile(e.target.files?.[0])} />}
        </Field>
      )}
      {status.state !== 'withdrawn' && (
        <>
          <h2>{t.text('status.addHeading')}</h2>
          <form noValidate onSubmit={(e) => { e.preventDefault(); void addLink(); }}>
            <Field id="new-link" label={t.text('status.addLabel')} hint={t.text('status.addHint')} error={linkError && words(linkError)}>
              {(aria) => <input {...aria} type="url" inputMode="url" value={newLink} onChange={(e) => setNewLink(e.target.value)} />}
            </Field>
            <button type="submit" className="button">{t.text('status.addButton')}</button>
          </form>
        </>
      )}
      {open && (
        <>
          <h2>{t.text('status.withdrawHeading')}</h2>
          <p>{t.text('status.withdrawText')}</p>
          {!confirmWithdraw ? (
            <button type="button" className="button" onClick={() => setConfirmWithdraw(true)}>{t.text('status.withdrawButton')}</button>
          ) : (
            <div className="confirm-box" role="group" aria-labelledby="withdraw-question">
              <p id="withdraw-question">{t.rich('status.withdrawSure', { strong: (chunks) => <strong>{chunks}</strong> })}</p>
              <div className="form-buttons">
                <button type="button" className="button button-danger" onClick={() => void withdraw()}>{t.text('status.withdrawYes')}</button>
                <button type="button" className="button" onClick={() => setConfirmWithdraw(false)}>{t.text('status.withdrawNo')}</button>
              </div>
            </div>
          )}
        </>
      )}
      <PersonalData caseNumber={status.caseNumber} pin={pin} onErased={reload} />
    </>
  );
}
