import type { NotifyConfig } from '../../config/notify-config.ts';
import { MailSender } from '../../notifications/mail-sender.ts';
import { fail, ok, type Finding } from './finding.ts';

/**
 * The SMTP server (TAKEDOWN_SMTP_URL) answering and accepting our sign-in, without sending a message. Without
 * one, people who ask to be told by email are not, and nobody can recover a lost PIN: that is a finding.
 */
export async function checkMail(notify: NotifyConfig): Promise<Finding> {
  if (!notify.smtpUrl) return fail('smtp', 'TAKEDOWN_SMTP_URL is not set: nobody is told anything by email and lost PINs cannot be recovered. Set it to your mail server, e.g. smtp://user:password@mail.example.org:587.');
  const host = new URL(notify.smtpUrl).host;
  const mail = new MailSender({ smtpUrl: notify.smtpUrl, from: notify.mailFrom, timeoutMs: notify.timeoutMs });
  try {
    const problem = await mail.check();
    return problem ? fail('smtp', `${host}: ${problem}. Check TAKEDOWN_SMTP_URL (host, port, user and password) and that this machine may connect to it.`) : ok('smtp', `${host} answers and accepts our sign-in; messages come from ${notify.mailFrom}`);
  } finally {
    mail.close();
  }
}
