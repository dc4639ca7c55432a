/** Setting up an authenticator app for a local staff account: scan, type a code, keep the recovery codes. */
import { useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { staffApi, type StaffSession } from './session.ts';

interface Enrolment {
  uri: string;
  qrSvg: string;
  secret: string;
}

export function SecondFactorPage({ session, onDone }: { session: StaffSession; onDone: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setEnrolment(await staffApi<Enrolment>('/v1/staff/second-factor/enrol', { method: 'POST' }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setBusy(false);
  };
  const confirm = async () => {
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return setError('Type the six digits your app shows.');
    setBusy(true);
    try {
      const done = await staffApi<{ recoveryCodes: string[] }>('/v1/staff/second-factor/confirm', { body: { code: code.replace(/\s/g, '') } });
      setRecoveryCodes(done.recoveryCodes);
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
    setBusy(false);
  };

  if (session.secondFactor === 'provider') {
    return (
      <>
        <h1>Second factor</h1>
        <p>You sign in through your organisation&apos;s sign-in service. It asks for your second factor, so there is nothing to set up here.</p>
      </>
    );
  }
  if (recoveryCodes) {
    return (
      <>
        <h1>Your second factor is on</h1>
        <p>Keep these recovery codes somewhere safe, away from your phone. Each one works once, if you lose your phone. You will not see them again.</p>
        <ul className="recovery-codes">{recoveryCodes.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
        <button type="button" className="button button-primary" onClick={onDone}>I have saved them</button>
      </>
    );
  }
  if (session.secondFactor === 'on') {
    return (
      <>
        <h1>Second factor</h1>
        <p className="notice">Your authenticator app is set up. If you lose your phone and your recovery codes, ask an administrator to reset it.</p>
      </>
    );
  }
  return (
    <>
      <h1>Set up your second factor</h1>
      {session.mustSetUpSecondFactor && <p>This service asks every staff member for a code from an app on their phone when they sign in. Set it up now to continue.</p>}
      {error && <p className="error-summary" role="alert">{error}</p>}
      {!enrolment ? (
        <>
          <p>You need an authenticator app on your phone, such as the one your organisation recommends.</p>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void start()}>Start</button>
        </>
      ) : (
        <form noValidate onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
          <p>1. In your app, add an account and scan this code.</p>
          <img className="totp-qr" alt="QR code to scan with your authenticator app" width={200} height={200} src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`} />
          <p>Cannot scan it? Type this key into the app instead: <code className="totp-secret">{enrolment.secret}</code></p>
          <Field id="totp-code" label="2. Type the six digits the app shows">
            {(aria) => <input {...aria} type="text" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <button type="submit" className="button button-primary" disabled={busy}>Turn on</button>
        </form>
      )}
    </>
  );
}
