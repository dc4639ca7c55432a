/**
 * On the status page: the person's own requests were found clearly unfounded, so their contact was warned or
 * suspended for a while (DSA Art. 23). Says what it means and when it ends, and lets them ask for another look.
 */
import { useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { formatDateTime } from '../shared/time.ts';
import { PIN_HEADER } from './request/submit.ts';

export interface NotifierStandingStatus {
  warnedAt?: string;
  suspendedUntil?: string;
  contested: boolean;
}

export function NotifierStanding({ standing, base, pin, reload }: { standing: NotifierStandingStatus; base: string; pin: string; reload: () => Promise<void> }) {
  const [statement, setStatement] = useState('');
  const [error, setError] = useState<string>();
  const send = async () => {
    if (!statement.trim()) return setError('Tell us in a few words why you think this is wrong.');
    try {
      await api(`${base}/contest`, { method: 'POST', body: { statement }, headers: { [PIN_HEADER]: pin } });
      setError(undefined);
      await reload();
    } catch (e) {
      setError(e instanceof ApiError && e.fields.length > 0 ? e.fields[0].message : e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="notice" aria-labelledby="standing-heading" data-testid="notifier-standing">
      <h2 id="standing-heading">About your requests</h2>
      <p>Some requests from your email address or phone number were found to be clearly unfounded.</p>
      {standing.suspendedUntil ? (
        <p>Until <strong>{formatDateTime(standing.suspendedUntil)}</strong>, we cannot take new requests from it. After that, you can ask again.</p>
      ) : (
        <p>If this happens again, we may stop taking new requests from it for a while.</p>
      )}
      <p>If the person in the pictures was under 18 when they were made, we always take the request.</p>
      {standing.contested ? (
        <p role="status">You asked us to look at this again. A senior reviewer will read what you wrote.</p>
      ) : (
        <form noValidate onSubmit={(e) => { e.preventDefault(); void send(); }}>
          <Field id="contest-statement" label="Do you think this is wrong? Tell us why" error={error}>
            {(aria) => <textarea {...aria} rows={4} value={statement} onChange={(e) => setStatement(e.target.value)} />}
          </Field>
          <div className="form-buttons">
            <button type="submit" className="button">Ask us to look again</button>
          </div>
        </form>
      )}
    </section>
  );
}
