import { useEffect, useRef, useState } from 'react';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { ApiError } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT, type ReviewId } from './i18n.ts';
import { signIn, signInOptions, type SignInOptions, type StaffSession } from './session.ts';

/** What the console says when the identity provider sent someone back (`/review?signin=…`). */
const PROVIDER_OUTCOMES: Record<string, ReviewId> = {
  'no-access': 'login.outcome.noAccess',
  failed: 'login.outcome.failed',
  expired: 'login.outcome.expired',
  unavailable: 'login.outcome.unavailable',
};

export function LoginPage({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const t = useT();
  const [options, setOptions] = useState<SignInOptions>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [error, setError] = useState<ReviewId | { error: unknown }>();
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  document.title = t.text('console.title', { title: t.text('title.signIn') });

  useEffect(() => {
    void signInOptions().then(setOptions, () => setOptions({ passwords: true }));
    const outcome = new URLSearchParams(window.location.search).get('signin');
    if (outcome && PROVIDER_OUTCOMES[outcome]) setError(PROVIDER_OUTCOMES[outcome]);
    // The outcome is shown once; reloading the page should not show it again.
    if (outcome) window.history.replaceState(null, '', window.location.pathname);
  }, []);
  useEffect(() => {
    if (askCode) codeInput.current?.focus();
  }, [askCode]);

  const submit = async () => {
    if (!username.trim() || !password) return setError('login.missing');
    if (askCode && !code.trim()) return setError('login.codeMissing');
    setBusy(true);
    try {
      onSignedIn(await signIn(username.trim(), password, askCode ? code.trim() : undefined));
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.code === 'second_factor_needed') {
        setAskCode(true);
        setError(undefined);
        return;
      }
      if (e instanceof ApiError && e.code === 'wrong_second_factor') {
        setCode('');
        return setError('login.codeWrong');
      }
      setError({ error: e });
    }
  };
  const provider = options?.provider;
  return (
    <main id="main">
      <LanguageSwitch label={t.text('console.language')} />
      <h1>{t.text('login.heading')}</h1>
      {error && <p className="error-summary" role="alert">{typeof error === 'string' ? t.text(error) : apiErrorText(t, error.error)}</p>}
      {provider && (
        <p>
          <a className="button button-primary" href={provider.startUrl}>{t.text('login.withProvider', { name: provider.name })}</a>
        </p>
      )}
      {options?.passwords !== false && (
        <>
          {provider && <h2>{t.text('login.orPassword')}</h2>}
          <form noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <Field id="username" label={t.text('login.username')}>
              {(aria) => <input {...aria} type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />}
            </Field>
            <Field id="password" label={t.text('login.password')}>
              {(aria) => <input {...aria} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
            {askCode && (
              <Field id="code" label={t.text('login.code')} hint={t.text('login.codeHint')}>
                {(aria) => <input {...aria} ref={codeInput} type="text" inputMode="text" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
              </Field>
            )}
            <button type="submit" className="button button-primary" disabled={busy}>{t.text(busy ? 'login.signingIn' : 'login.signIn')}</button>
          </form>
        </>
      )}
    </main>
  );
}
