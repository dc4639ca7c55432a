import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { signIn, signInOptions, type SignInOptions, type StaffSession } from './session.ts';

/** What the console says when the identity provider sent someone back (`/review?signin=…`). */
const PROVIDER_OUTCOMES: Record<string, string> = {
  'no-access': 'You signed in, but this account has no access to the review console. Ask your administrator to give you access.',
  failed: 'Signing in did not finish. Please try again. If it happens again, tell your administrator.',
  expired: 'Signing in took too long, or was started in another browser. Please try again.',
  unavailable: 'The sign-in service cannot be reached just now. Please try again in a minute.',
};

export function LoginPage({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const [options, setOptions] = useState<SignInOptions>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  document.title = 'Sign in – Review console';

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
    if (!username.trim() || !password) return setError('Type your username and your password.');
    if (askCode && !code.trim()) return setError('Type the code your authenticator app shows.');
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
        return setError('That code did not work. Type the code your app shows now, or one of your recovery codes.');
      }
      setError(e instanceof ApiError && e.status === 401 ? 'Wrong username or password. Check both and try again.' : e instanceof Error ? e.message : String(e));
    }
  };
  const provider = options?.provider;
  return (
    <main id="main">
      <h1>Sign in to the review console</h1>
      {error && <p className="error-summary" role="alert">{error}</p>}
      {provider && (
        <p>
          <a className="button button-primary" href={provider.startUrl}>Sign in with {provider.name}</a>
        </p>
      )}
      {options?.passwords !== false && (
        <>
          {provider && <h2>Or sign in with a username and password</h2>}
          <form noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <Field id="username" label="Username">
              {(aria) => <input {...aria} type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />}
            </Field>
            <Field id="password" label="Password">
              {(aria) => <input {...aria} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
            {askCode && (
              <Field id="code" label="Code from your authenticator app" hint="Six digits. Lost your phone? Type one of your recovery codes instead.">
                {(aria) => <input {...aria} ref={codeInput} type="text" inputMode="text" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
              </Field>
            )}
            <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
          </form>
        </>
      )}
    </main>
  );
}
