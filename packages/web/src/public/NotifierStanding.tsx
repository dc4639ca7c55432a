/**
 * On the status page: the person's own requests were found clearly unfounded, so their contact was warned or
 * suspended for a while (DSA Art. 23). Says what it means and when it ends, and lets them ask for another look.
 */
import { useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { apiErrorText, fieldErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT } from './i18n.ts';
import { PIN_HEADER } from './request/submit.ts';

export interface NotifierStandingStatus {
  warnedAt?: string;
  suspendedUntil?: string;
  contested: boolean;
}

export function NotifierStanding({ standing, base, pin, reload }: { standing: NotifierStandingStatus; base: string; pin: string; reload: () => Promise<void> }) {
  const t = useT();
  const [statement, setStatement] = useState('');
  const [error, setError] = useState<string>();
  const send = async () => {
    if (!statement.trim()) return setError(t.text('standing.needStatement'));
    try {
      await api(`${base}/contest`, { method: 'POST', body: { statement }, headers: { [PIN_HEADER]: pin } });
      setError(undefined);
      await reload();
    } catch (e) {
      setError(e instanceof ApiError && e.fields.length > 0 ? fieldErrorText(t, e.fields[0]) : apiErrorText(t, e));
    }
  };
  return (
    <section className="notice" aria-labelledby="standing-heading" data-testid="notifier-standing">
      <h2 id="standing-heading">{t.text('standing.heading')}</h2>
      <p>{t.text('standing.found')}</p>
      <p>{standing.suspendedUntil
        ? t.rich('standing.suspended', { until: t.dateTime(standing.suspendedUntil), strong: (chunks) => <strong>{chunks}</strong> })
        : t.text('standing.warned')}</p>
      <p>{t.text('standing.minor')}</p>
      {standing.contested ? (
        <p role="status">{t.text('standing.contested')}</p>
      ) : (
        <form noValidate onSubmit={(e) => { e.preventDefault(); void send(); }}>
          <Field id="contest-statement" label={t.text('standing.label')} error={error}>
            {(aria) => <textarea {...aria} rows={4} value={statement} onChange={(e) => setStatement(e.target.value)} />}
          </Field>
          <div className="form-buttons">
            <button type="submit" className="button">{t.text('standing.send')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
