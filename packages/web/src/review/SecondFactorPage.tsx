/** Setting up an authenticator app for a local staff account: scan, type a code, keep the recovery codes. */
import { useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT, type ReviewId } from './i18n.ts';
import { staffApi, type StaffSession } from './session.ts';

interface Enrolment {
  uri: string;
  qrSvg: string;
  secret: string;
}

export function SecondFactorPage({ session, onDone }: { session: StaffSession; onDone: () => void }) {
  const t = useT();
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  // A message id of this page, or the server's answer; put in words when shown, so a language switch changes it too.
  const [error, setError] = useState<ReviewId | { error: unknown }>();
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setEnrolment(await staffApi<Enrolment>('/v1/staff/second-factor/enrol', { method: 'POST' }));
    } catch (e) {
      setError({ error: e });
    }
    setBusy(false);
  };
  const confirm = async () => {
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return setError('secondFactor.needCode');
    setBusy(true);
    try {
      const done = await staffApi<{ recoveryCodes: string[] }>('/v1/staff/second-factor/confirm', { body: { code: code.replace(/\s/g, '') } });
      setRecoveryCodes(done.recoveryCodes);
      setError(undefined);
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'wrong_code' ? 'secondFactor.wrongCode' : { error: e });
    }
    setBusy(false);
  };

  if (session.secondFactor === 'provider') {
    return (
      <>
        <h1>{t.text('title.secondFactor')}</h1>
        <p>{t.text('secondFactor.provider')}</p>
      </>
    );
  }
  if (recoveryCodes) {
    return (
      <>
        <h1>{t.text('secondFactor.onHeading')}</h1>
        <p>{t.text('secondFactor.keepCodes')}</p>
        <ul className="recovery-codes">{recoveryCodes.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
        <button type="button" className="button button-primary" onClick={onDone}>{t.text('secondFactor.saved')}</button>
      </>
    );
  }
  if (session.secondFactor === 'on') {
    return (
      <>
        <h1>{t.text('title.secondFactor')}</h1>
        <p className="notice">{t.text('secondFactor.alreadyOn')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t.text('secondFactor.setUpHeading')}</h1>
      {session.mustSetUpSecondFactor && <p>{t.text('secondFactor.required')}</p>}
      {error && <p className="error-summary" role="alert">{typeof error === 'string' ? t.text(error) : apiErrorText(t, error.error)}</p>}
      {!enrolment ? (
        <>
          <p>{t.text('secondFactor.needApp')}</p>
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void start()}>{t.text('secondFactor.start')}</button>
        </>
      ) : (
        <form noValidate onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
          <p>{t.text('secondFactor.scan')}</p>
          <img className="totp-qr" alt={t.text('secondFactor.qrAlt')} width={200} height={200} src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`} />
          <p>{t.rich('secondFactor.typeKey', { secret: enrolment.secret, code: (chunks) => <code className="totp-secret">{chunks}</code> })}</p>
          <Field id="totp-code" label={t.text('secondFactor.codeLabel')}>
            {(aria) => <input {...aria} type="text" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <button type="submit" className="button button-primary" disabled={busy}>{t.text('secondFactor.turnOn')}</button>
        </form>
      )}
    </>
  );
}
