import { useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { signIn, type StaffSession } from './session.ts';

export function LoginPage({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  document.title = 'Sign in – Review console';
  const submit = async () => {
    if (!username.trim() || !password) return setError('Type your username and your password.');
    setBusy(true);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? 'Wrong username or password. Check both and try again.' : e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <main id="main">
      <h1>Sign in to the review console</h1>
      {error && <p className="error-summary" role="alert">{error}</p>}
      <form noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field id="username" label="Username">
          {(aria) => <input {...aria} type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />}
        </Field>
        <Field id="password" label="Password">
          {(aria) => <input {...aria} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
