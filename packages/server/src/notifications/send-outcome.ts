/**
 * What one attempt to send a message came to: sent; worth trying again later (a server down, busy or slow); or
 * refused for good (a recipient the mail server rejects, a webhook that is gone). The reason names a category
 * and a status code, never an address or the message.
 */
export type SendOutcome = { kind: 'sent' } | { kind: 'retry'; reason: string } | { kind: 'rejected'; reason: string };

/** One message, ready to leave: to whom (an email address or a chat webhook URL), its subject and text. */
export interface OutgoingMessage {
  channel: 'email' | 'chat';
  to: string;
  subject: string;
  text: string;
}
