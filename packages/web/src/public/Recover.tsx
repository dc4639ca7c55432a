/**
 * A lost PIN, set again through the email address given with the request: first the case number and that
 * address (the answer is the same whether or not they match), then the code from the email, then the new PIN,
 * shown once. Nothing is kept in the address bar or in storage. Problems are kept as message ids and the
 * server's answer (its `code`, `retryAt`, `nextWaitSeconds`, `triesBeforeWait`), put in words when shown, so a
 * language switch changes them too. Like the status page, it warns calmly before asking again or a wrong code
 * brings a wait; that warning is the same whether or not the address matched.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import type { Translator } from '../i18n/I18n.tsx';
import { useT, type PublicId } from './i18n.ts';
import { Link } from './Layout.tsx';
import { WARN_WHEN_TRIES_LEFT, waitInWords } from './wait-words.ts';

/** A wrong code or a wait, in the reader's words, with the server's retry time in their language and zone. */
function problemText(t: Translator<PublicId>, error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    const warning = error.retryAt
      ? t.text('recover.warnLocked', { retryAt: t.dateTime(error.retryAt) })
      : error.triesBeforeWait !== undefined && error.triesBeforeWait <= WARN_WHEN_TRIES_LEFT && error.waitAfterTriesSeconds
        ? t.text('recover.warnTries', { count: error.triesBeforeWait, wait: waitInWords(t, error.waitAfterTriesSeconds) })
        : error.nextWaitSeconds
          ? t.text('recover.warnNext', { wait: waitInWords(t, error.nextWaitSeconds) })
          : '';
    return [t.text('recover.wrongCode'), warning].filter(Boolean).join(' ');
  }
  if (error instanceof ApiError && error.status === 429) {
    return error.retryAt ? t.text('recover.locked', { retryAt: t.dateTime(error.retryAt) }) : t.text('recover.lockedSoon');
  }
  return apiErrorText(t, error);
}

/** What asking for a code costs from here: the same whether or not the address matched (the server charges each request first). */
interface CodeBudget {
  triesBeforeWait?: number;
  waitAfterTriesSeconds?: number;
  /** A wait this request began: no code can be asked for before it. */
  retryAt?: string;
}

/** A calm word before asking again brings a wait, or until when the wait runs; nothing while asking is free. */
function budgetText(t: Translator<PublicId>, budget: CodeBudget): string | undefined {
  if (budget.retryAt) return t.text('recover.askWait', { retryAt: t.dateTime(budget.retryAt) });
  if (budget.triesBeforeWait !== undefined && budget.triesBeforeWait <= WARN_WHEN_TRIES_LEFT && budget.waitAfterTriesSeconds) {
    return t.text('recover.askTries', { count: budget.triesBeforeWait, wait: waitInWords(t, budget.waitAfterTriesSeconds) });
  }
  return undefined;
}

export function Recover() {
  const t = useT();
  const [caseNumber, setCaseNumber] = useState('');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ minutes: number; budget: CodeBudget }>();
  const [pin, setPin] = useState<string>();
  const [errors, setErrors] = useState<{ caseNumber?: PublicId; email?: PublicId; code?: PublicId; form?: { error: unknown } }>({});
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [sent, pin]);

  const ask = async () => {
    const found: typeof errors = {};
    if (!caseNumber.trim()) found.caseNumber = 'recover.needCaseNumber';
    if (!email.trim()) found.email = 'recover.needEmail';
    setErrors(found);
    if (found.caseNumber || found.email) return;
    setBusy(true);
    try {
      const answer = await api<{ codeValidMinutes: number } & CodeBudget>('/v1/pin-recovery', { method: 'POST', body: { caseNumber: caseNumber.trim(), email: email.trim() } });
      setSent({ minutes: answer.codeValidMinutes, budget: { triesBeforeWait: answer.triesBeforeWait, waitAfterTriesSeconds: answer.waitAfterTriesSeconds, retryAt: answer.retryAt } });
    } catch (error) {
      setErrors({ form: { error } });
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!code.trim()) {
      setErrors({ code: 'recover.needCode' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setPin((await api<{ pin: string }>('/v1/pin-recovery/confirm', { method: 'POST', body: { caseNumber: caseNumber.trim(), code: code.trim() } })).pin);
    } catch (error) {
      setErrors({ form: { error } });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (id: PublicId | undefined) => (id ? t.text(id) : undefined);
  const errorSummary = errors.form && <p className="error-summary" role="alert">{problemText(t, errors.form.error)}</p>;

  if (pin) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>{t.text('recover.newPinHeading')}</h1>
        <p>{t.text('recover.newPinText')}</p>
        <div className="case-card">
          <dl>
            <div><dt>{t.text('recover.caseNumber')}</dt><dd className="code">{caseNumber.trim().toUpperCase()}</dd></div>
            <div><dt>{t.text('recover.newPin')}</dt><dd className="code" data-testid="new-pin">{pin}</dd></div>
          </dl>
        </div>
        <p><Link to="/status">{t.text('recover.check')}</Link></p>
      </>
    );
  }

  if (sent) {
    const budget = budgetText(t, sent.budget);
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>{t.text('recover.sentHeading')}</h1>
        <p>{t.text('recover.sent', { minutes: sent.minutes })}</p>
        {errorSummary}
        <form noValidate onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
          <Field id="recover-code" label={t.text('recover.code')} hint={t.text('recover.codeHint')} error={fieldError(errors.code)}>
            {(aria) => <input {...aria} type="text" inputMode="numeric" autoComplete="one-time-code" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <div className="form-buttons">
            <button type="submit" className="button button-primary" disabled={busy}>{t.text(busy ? 'recover.checking' : 'recover.setPin')}</button>
          </div>
        </form>
        <p>
          {t.rich('recover.noEmail', {
            button: (chunks) => <button type="button" className="button-link" onClick={() => { setSent(undefined); setCode(''); setErrors({}); }}>{chunks}</button>,
          })}
        </p>
        {budget && <p data-testid="code-budget">{budget}</p>}
      </>
    );
  }

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>{t.text('recover.heading')}</h1>
      <p>{t.text('recover.intro')}</p>
      {errorSummary}
      <form noValidate onSubmit={(e) => { e.preventDefault(); void ask(); }}>
        <Field id="recover-case-number" label={t.text('recover.caseNumber')} error={fieldError(errors.caseNumber)}>
          {(aria) => <input {...aria} type="text" autoComplete="off" spellCheck={false} value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} />}
        </Field>
        <Field id="recover-email" label={t.text('recover.email')} hint={t.text('recover.emailHint')} error={fieldError(errors.email)}>
          {(aria) => <input {...aria} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <div className="form-buttons">
          <button type="submit" className="button button-primary" disabled={busy}>{t.text(busy ? 'recover.sending' : 'recover.send')}</button>
        </div>
      </form>
      <p>{t.rich('recover.lost', { link: (chunks) => <Link to="/request">{chunks}</Link> })}</p>
    </>
  );
}
