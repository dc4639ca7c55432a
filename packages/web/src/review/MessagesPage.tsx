/**
 * Messages that did not arrive: notices to requesters and staff alerts that failed or were refused, with why.
 * No address or text is shown (the server keeps none): the case number says whom to reach some other way.
 */
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useT } from './i18n.ts';

interface Notification {
  id: string;
  audience: string;
  channel: string | null;
  kind: string;
  caseNumber: string | null;
  state: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

const KINDS: Record<string, string> = {
  receipt: 'Receipt',
  item_confirmed: 'Item approved',
  item_declined: 'Item declined',
  item_removed: 'Item removed',
  appeal_received: 'Appeal received',
  appeal_decided: 'Appeal decided',
  draft_expiring: 'Draft expiring',
  pin_reset: 'PIN recovery code',
  new_request: 'New request (staff)',
  item_escalated: 'Item escalated (staff)',
  item_breached: 'Deadline passed (staff)',
  webhook_failing: 'Webhooks failing (staff)',
};

export function MessagesPage() {
  const t = useT();
  const [messages, setMessages] = useState<Notification[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ notifications: Notification[] }>('/v1/staff/notifications').then(
      (r) => setMessages(r.notifications),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  return (
    <>
      <h1>Messages not delivered</h1>
      <p>Emails and chat alerts that failed after every retry, or that the receiving server refused. A requester who was not told may need another way to be reached: open their case.</p>
      {error && <p className="error-summary" role="alert">{error}</p>}
      {!messages && !error && <p>Loading…</p>}
      {messages && messages.length === 0 && <p>Every message was delivered.</p>}
      {messages && messages.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Messages not delivered">
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Message</th><th scope="col">Case</th><th scope="col">To</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Why</th></tr></thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{t.dateTime(m.createdAt)}</td>
                  <td>{KINDS[m.kind] ?? m.kind}</td>
                  <td className="mono nowrap">{m.caseNumber ?? ''}</td>
                  <td>{m.audience === 'requester' ? 'Requester' : 'Staff'}{m.channel ? ` (${m.channel})` : ''}</td>
                  <td>{m.state === 'rejected' ? 'Refused' : 'Failed'}</td>
                  <td>{m.attempts}</td>
                  <td>{m.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
