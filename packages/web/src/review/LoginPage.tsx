import { useState } from 'react';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT, type ReviewId } from './i18n.ts';
import { signIn, type StaffSession } from './session.ts';

export function LoginPage({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const t = useT();
  const [error, setError] = useState<ReviewId | { error: unknown }>();
  const [busy, setBusy] = useState(false);
  document.title = t.text('console.title', { title: t.text('title.signIn') });
  const submit = async () => {
    if (!username.trim() || !password) return setError('login.missing');
    setBusy(true);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (e) {
      setError({ error: e });
      setBusy(false);
    }
  };
  return (
    <main id="main">
      <LanguageSwitch label={t.text('console.language')} />
      <h1>{t.text('login.heading')}</h1>
      {error && <p className="error-summary" role="alert">{typeof error === 'string' ? t.text(error) : apiErrorText(t, error.error)}</p>}
      <form noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field id="username" label={t.text('login.username')}>
          {(aria) => <input {...aria} type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />}
        </Field>
        <Field id="password" label={t.text('login.password')}>
          {(aria) => <input {...aria} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>{t.text(busy ? 'login.signingIn' : 'login.signIn')}</button>
      </form>
    </main>
  );
}
