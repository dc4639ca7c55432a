/** The audit log for auditors: every state change, decision, login, unblur and export, oldest first, 500 at a time. */
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { formatDateTime } from '../shared/time.ts';

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
  const [error, setError] = useState<string>();
  const [action, setAction] = useState('');
  const [next, setNext] = useState<number | null>(null);
  const load = (after: number | null) =>
    api<{ events: AuditEvent[]; next: number | null }>(`/v1/audit${after ? `?after=${after}` : ''}`).then(
      (r) => {
        setEvents((old) => [...(after ? old ?? [] : []), ...r.events]);
        setNext(r.next);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  useEffect(() => {
    void load(null);
  }, []);
  const actions = [...new Set((events ?? []).map((e) => e.action))].sort();
  const shown = (events ?? []).filter((e) => !action || e.action === action);
  return (
    <>
      <h1>Audit log</h1>
      <p>Append-only and hash-chained. Run <code>takedown audit verify</code> to check the chain.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">All actions</option>
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </div>
      </div>
      {error && <p className="error-summary" role="alert">{error}</p>}
      {!events && !error && <p>Loading…</p>}
      {events && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Reason</th><th scope="col">Item</th></tr></thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td><td>{formatDateTime(e.at)}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.reason ?? ''}</td><td className="mono">{e.itemId ? e.itemId.slice(0, 8) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next !== null && <p><button type="button" className="button" onClick={() => void load(next)}>Show the next 500 events</button></p>}
        </div>
      )}
    </>
  );
}
