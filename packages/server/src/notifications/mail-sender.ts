import nodemailer, { type Transporter } from 'nodemailer';
import type { SendOutcome } from './send-outcome.ts';

/** How email leaves: an SMTP server (`smtp://user:pass@host:587`, `smtps://…:465`) and the sender shown. */
export interface MailSettings {
  smtpUrl: string;
  /** The From line: a neutral name (e.g. `Case updates <no-reply@example.org>`), never the word "takedown" unless the operator wants it. */
  from: string;
  /** Bounds connecting, the greeting and each reply of the server. */
  timeoutMs: number;
}

/** Error codes of nodemailer that mean the server could not be reached or stopped answering: try again later. */
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * Sends email over SMTP with nodemailer, one message per recipient. A reply in the 5xx range to the recipient or
 * the message is permanent (the address does not exist, the server refuses it): the caller records it and does
 * not try again. Anything else that fails (no connection, a 4xx "try later", a timeout) is worth another try.
 * @example
 * const mail = new MailSender({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'Case updates <no-reply@example.org>', timeoutMs: 10_000 });
 * await mail.send('person@example.org', 'An update on your case', 'Hello,…');
 */
export class MailSender {
  readonly #transport: Transporter;

  constructor(settings: MailSettings) {
    const url = new URL(settings.smtpUrl);
    this.#transport = nodemailer.createTransport({
      url: settings.smtpUrl,
      // A plain smtp:// server that offers STARTTLS is used with it; the operator's URL decides the rest.
      secure: url.protocol === 'smtps:',
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    }, { from: settings.from });
  }

  async send(to: string, subject: string, text: string): Promise<SendOutcome> {
    try {
      await this.#transport.sendMail({ to, subject, text });
      return { kind: 'sent' };
    } catch (error) {
      return classify(error as { code?: string; responseCode?: number; command?: string });
    }
  }

  /** Connects and greets the server (for `takedown doctor`): undefined when it answers, else what went wrong. */
  async check(): Promise<string | undefined> {
    try {
      await this.#transport.verify();
      return undefined;
    } catch (error) {
      const outcome = classify(error as { code?: string; responseCode?: number });
      return outcome.kind === 'sent' ? undefined : outcome.reason;
    }
  }

  close(): void {
    this.#transport.close();
  }
}

function classify(error: { code?: string; responseCode?: number; command?: string }): SendOutcome {
  const status = error.responseCode;
  if (typeof status === 'number' && status >= 500 && status < 600) {
    const what = error.command?.toUpperCase().startsWith('RCPT') || error.code === 'EENVELOPE' ? 'the recipient' : 'the message';
    return { kind: 'rejected', reason: `the mail server refused ${what} (SMTP ${status})` };
  }
  if (typeof status === 'number') return { kind: 'retry', reason: `the mail server answered SMTP ${status}; trying again later` };
  if (error.code && UNREACHABLE.has(error.code)) return { kind: 'retry', reason: error.code === 'EAUTH' ? 'the mail server refused our sign-in' : 'could not reach the mail server' };
  return { kind: 'retry', reason: 'sending the email failed' };
}
