import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/config.ts';

function problemsOf(env: Record<string, string>): readonly { setting: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('notification settings', () => {
  it('defaults: no mail server, no staff routes, links to this server', () => {
    const { notify } = loadConfig({ PORT: '8080' });
    expect(notify).toMatchObject({ publicUrl: 'http://localhost:8080', smtpUrl: undefined, mailFrom: 'Case updates <no-reply@localhost>', staffRoutes: [], maxAttempts: 12 });
  });

  it('reads the SMTP server, sender, subject, public address and staff routes per role', () => {
    const { notify } = loadConfig({
      TAKEDOWN_SMTP_URL: 'smtps://alerts:s3cret@mail.example.org:465',
      TAKEDOWN_MAIL_FROM: 'Account notices <no-reply@example.org>',
      TAKEDOWN_MAIL_SUBJECT: 'Your account',
      TAKEDOWN_PUBLIC_URL: 'https://help.example.org/',
      TAKEDOWN_STAFF_ALERTS: 'reviewer=mailto:reviewers@example.org, admin=https://hooks.slack.com/services/T0/B0/xyz,senior=https://matrix.example.org/hook/abc',
    });
    expect(notify).toMatchObject({ smtpUrl: 'smtps://alerts:s3cret@mail.example.org:465', mailFrom: 'Account notices <no-reply@example.org>', mailSubject: 'Your account', publicUrl: 'https://help.example.org' });
    expect(notify.staffRoutes).toEqual([
      { role: 'reviewer', channel: 'email', target: 'reviewers@example.org' },
      { role: 'admin', channel: 'chat', target: 'https://hooks.slack.com/services/T0/B0/xyz' },
      { role: 'senior', channel: 'chat', target: 'https://matrix.example.org/hook/abc' },
    ]);
  });

  it('says what to set for unusable values, and never repeats an SMTP password', () => {
    const problems = problemsOf({ TAKEDOWN_SMTP_URL: 'http://user:hunter2@mail.example.org', TAKEDOWN_STAFF_ALERTS: 'boss=mailto:x@example.org,reviewer=ftp://x', TAKEDOWN_PUBLIC_URL: 'help.example.org' });
    expect(problems.map((p) => p.setting)).toEqual(['TAKEDOWN_PUBLIC_URL', 'TAKEDOWN_SMTP_URL', 'TAKEDOWN_STAFF_ALERTS', 'TAKEDOWN_STAFF_ALERTS']);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
    expect(problems[1].message).toBe('TAKEDOWN_SMTP_URL must be an smtp:// or smtps:// address, such as smtp://user:password@mail.example.org:587.');
    expect(problems[2].message).toMatch(/^TAKEDOWN_STAFF_ALERTS must be comma-separated role=address pairs, the role one of reviewer, senior, admin, auditor/);
  });
});
