/**
 * A lost PIN, set again through the email address given with the request: first the case number and that
 * address (the answer is the same whether or not they match), then the code from the email, then the new PIN,
 * shown once. Nothing is kept in the address bar or in storage.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { useT } from './i18n.ts';
import { Link } from './Layout.tsx';

function problemOf(error: unknown, formatDateTime: (iso: string) => string): string {
  if (error instanceof ApiError) {
    const until = /\d{4}-\d{2}-\d{2}T[\d:.]+Z/.exec(error.message)?.[0];
    if (error.status === 429) return `Too many tries from this device. To keep your request safe, please wait. Try again ${until ? `after ${formatDateTime(until)}` : 'in a few minutes'}.`;
    if (error.status === 404) return `That code does not work. Check the number in the email. A code works once, for 30 minutes. You can ask for a new one.${until ? ` You can try again after ${formatDateTime(until)}.` : ''}`;
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

export function Recover() {
  const t = useT();
  const [caseNumber, setCaseNumber] = useState('');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<string>();
  const [pin, setPin] = useState<string>();
  const [errors, setErrors] = useState<{ caseNumber?: string; email?: string; code?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [sent, pin]);

  const ask = async () => {
    const found: typeof errors = {};
    if (!caseNumber.trim()) found.caseNumber = 'Type your case number. It starts with TD-.';
    if (!email.trim()) found.email = 'Type the email address you gave with your request.';
    setErrors(found);
    if (found.caseNumber || found.email) return;
    setBusy(true);
    try {
      setSent((await api<{ message: string }>('/v1/pin-recovery', { method: 'POST', body: { caseNumber: caseNumber.trim(), email: email.trim() } })).message);
    } catch (error) {
      setErrors({ form: problemOf(error, t.dateTime) });
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!code.trim()) {
      setErrors({ code: 'Type the code from the email.' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setPin((await api<{ pin: string }>('/v1/pin-recovery/confirm', { method: 'POST', body: { caseNumber: caseNumber.trim(), code: code.trim() } })).pin);
    } catch (error) {
      setErrors({ form: problemOf(error, t.dateTime) });
    } finally {
      setBusy(false);
    }
  };

  const errorSummary = errors.form && <p className="error-summary" role="alert">{errors.form}</p>;

  if (pin) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>Your new PIN</h1>
        <p>Write it down or keep it somewhere safe. We show it only once. Your old PIN no longer works.</p>
        <div className="case-card">
          <dl>
            <div><dt>Case number</dt><dd className="code">{caseNumber.trim().toUpperCase()}</dd></div>
            <div><dt>New PIN</dt><dd className="code" data-testid="new-pin">{pin}</dd></div>
          </dl>
        </div>
        <p><Link to="/status">Check your request</Link></p>
      </>
    );
  }

  if (sent) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>Check your email</h1>
        <p>{sent}</p>
        {errorSummary}
        <form noValidate onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
          <Field id="recover-code" label="Code from the email" hint="8 numbers, for example 1234 5678." error={errors.code}>
            {(aria) => <input {...aria} type="text" inputMode="numeric" autoComplete="one-time-code" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <div className="form-buttons">
            <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Checking…' : 'Set a new PIN'}</button>
          </div>
        </form>
        <p>No email? Wait a few minutes and check your spam folder. Then you can <button type="button" className="button-link" onClick={() => { setSent(undefined); setCode(''); setErrors({}); }}>ask again</button>.</p>
      </>
    );
  }

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>Get a new PIN</h1>
      <p>If you gave an email address with your request, we can send a code to it. With the code you can set a new PIN.</p>
      {errorSummary}
      <form noValidate onSubmit={(e) => { e.preventDefault(); void ask(); }}>
        <Field id="recover-case-number" label="Case number" error={errors.caseNumber}>
          {(aria) => <input {...aria} type="text" autoComplete="off" spellCheck={false} value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} />}
        </Field>
        <Field id="recover-email" label="Email address" hint="The one you gave with your request." error={errors.email}>
          {(aria) => <input {...aria} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <div className="form-buttons">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Sending…' : 'Send me a code'}</button>
        </div>
      </form>
      <p>No email address with your request, or lost your case number? You can <Link to="/request">send a new request</Link>. It is fine to ask again.</p>
    </>
  );
}
