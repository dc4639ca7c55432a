/**
 * Messages that did not arrive: notices to requesters and staff alerts that failed or were refused, with why.
 * No address or text is shown (the server keeps none): the case number says whom to reach some other way.
 * The reason stays as the server recorded it (a mail or chat server's own words).
 */
import { useEffect, useState } from 'react';
import type { Translator } from '../i18n/I18n.tsx';
import { reviewEn } from '../i18n/review-en.ts';
import { api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { useT, type ReviewId } from './i18n.ts';

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

/** A kind of message in words, or the raw kind for one this page does not know yet. */
function kindText(t: Translator<ReviewId>, kind: string): string {
  const id = `messages.kind.${kind}`;
  return id in reviewEn ? t.text(id as ReviewId) : kind;
}

/** Who a message was for, and by which channel. */
function recipientText(t: Translator<ReviewId>, m: Notification): string {
  const requester = m.audience === 'requester';
  if (!m.channel) return t.text(requester ? 'messages.requester' : 'messages.staff');
  return t.text(requester ? 'messages.requesterVia' : 'messages.staffVia', { channel: m.channel });
}

export function MessagesPage() {
  const t = useT();
  const [messages, setMessages] = useState<Notification[]>();
  const [error, setError] = useState<{ error: unknown }>();
  useEffect(() => {
    api<{ notifications: Notification[] }>('/v1/staff/notifications').then(
      (r) => setMessages(r.notifications),
      (e: unknown) => setError({ error: e }),
    );
  }, []);
  return (
    <>
      <h1>{t.text('title.messages')}</h1>
      <p>{t.text('messages.intro')}</p>
      {error && <p className="error-summary" role="alert">{apiErrorText(t, error.error)}</p>}
      {!messages && !error && <p>{t.text('console.loading')}</p>}
      {messages && messages.length === 0 && <p>{t.text('messages.none')}</p>}
      {messages && messages.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t.text('title.messages')}>
          <table>
            <thead>
              <tr>
                {(['colWhen', 'colMessage', 'colCase', 'colTo', 'colState', 'colAttempts', 'colWhy'] as const).map((column) => <th key={column} scope="col">{t.text(`messages.${column}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{t.dateTime(m.createdAt)}</td>
                  <td>{kindText(t, m.kind)}</td>
                  <td className="mono nowrap">{m.caseNumber ?? ''}</td>
                  <td>{recipientText(t, m)}</td>
                  <td>{t.text(m.state === 'rejected' ? 'messages.rejected' : 'messages.failed')}</td>
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
