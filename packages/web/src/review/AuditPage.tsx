/** The audit log for auditors: every state change, decision, login, unblur and export, oldest first, 500 at a time. */
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { useT } from './i18n.ts';

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  caseId?: string | null;
  itemId?: string | null;
  reason?: string | null;
  hash?: string;
}

export function AuditPage() {
  const [events, setEvents] = useState<AuditEvent[]>();
  const t = useT();
  const [error, setError] = useState<{ error: unknown }>();
  const [action, setAction] = useState('');
  const [next, setNext] = useState<number | null>(null);
  const load = (after: number | null) =>
    api<{ events: AuditEvent[]; next: number | null }>(`/v1/audit${after ? `?after=${after}` : ''}`).then(
      (r) => {
        setEvents((old) => [...(after ? old ?? [] : []), ...r.events]);
        setNext(r.next);
      },
      (e: unknown) => setError({ error: e }),
    );
  useEffect(() => {
    void load(null);
  }, []);
  const actions = [...new Set((events ?? []).map((e) => e.action))].sort();
  const shown = (events ?? []).filter((e) => !action || e.action === action);
  return (
    <>
      <h1>{t.text('title.audit')}</h1>
      <p>{t.rich('audit.intro', { code: (chunks) => <code>{chunks}</code> })}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="audit-action">{t.text('audit.action')}</label>
          <select id="audit-action" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">{t.text('audit.allActions')}</option>
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </div>
      </div>
      {error && <p className="error-summary" role="alert">{apiErrorText(t, error.error)}</p>}
      {!events && !error && <p>{t.text('console.loading')}</p>}
      {events && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t.text('audit.table')}>
          <table>
            <thead><tr><th scope="col">#</th><th scope="col">{t.text('audit.colWhen')}</th><th scope="col">{t.text('audit.colActor')}</th><th scope="col">{t.text('audit.colAction')}</th><th scope="col">{t.text('audit.colReason')}</th><th scope="col">{t.text('audit.colItem')}</th></tr></thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td><td>{t.dateTime(e.at)}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.reason ?? ''}</td><td className="mono">{e.itemId ? e.itemId.slice(0, 8) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next !== null && <p><button type="button" className="button" onClick={() => void load(next)}>{t.text('audit.more')}</button></p>}
        </div>
      )}
    </>
  );
}
