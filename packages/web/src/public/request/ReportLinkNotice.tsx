/**
 * What the form says about a link it was opened with (report-link.ts): that it is filled in, and, calmly, when
 * it does not look like a page of the platform that sent the person here. The person goes on either way.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { useT } from '../i18n.ts';
import { checkReportLink, type ReportLink } from './report-link.ts';

type Verdict = { kind: 'checking' } | { kind: 'fine' } | { kind: 'notOnPlatform'; platform: string } | { kind: 'notConnected' } | { kind: 'incomplete' };

function useVerdict(link: ReportLink): Verdict {
  const [verdict, setVerdict] = useState<Verdict>({ kind: 'checking' });
  useEffect(() => {
    let current = true;
    checkReportLink(link).then(
      (check) => {
        if (!current) return;
        // A platform name is shown only once the server knows it: a link cannot make this page say any name it likes.
        if (check.platformKnown === true && !check.onPlatform && link.platform) setVerdict({ kind: 'notOnPlatform', platform: link.platform });
        else if (check.platformKnown !== true && check.hostedBy === null) setVerdict({ kind: 'notConnected' });
        else setVerdict({ kind: 'fine' });
      },
      (error: unknown) => {
        if (!current) return;
        // Could not ask (offline, busy): say nothing more than that the link is filled in.
        setVerdict(error instanceof ApiError && error.status === 400 ? { kind: 'incomplete' } : { kind: 'fine' });
      },
    );
    return () => {
      current = false;
    };
  }, [link]);
  return verdict;
}

export function ReportLinkNotice({ link, links }: { link: ReportLink; links: readonly string[] }) {
  const t = useT();
  const verdict = useVerdict(link);
  // Once the person changes or removes the link, what was said about it no longer applies.
  if (!links.some((l) => l.trim() === link.url)) return null;
  const flagged = verdict.kind === 'notOnPlatform' || verdict.kind === 'notConnected' || verdict.kind === 'incomplete';
  return (
    <div className={flagged ? 'notice notice-warning report-link-notice' : 'notice report-link-notice'} role="status">
      <p>{t.text('reportLink.filled')}</p>
      {verdict.kind === 'notOnPlatform' && <p>{t.text('reportLink.notOnPlatform', { platform: verdict.platform })}</p>}
      {verdict.kind === 'notConnected' && <p>{t.text('reportLink.notConnected')}</p>}
      {verdict.kind === 'incomplete' && <p>{t.text('reportLink.incomplete')}</p>}
      {flagged && <p>{t.text('reportLink.goOn')}</p>}
    </div>
  );
}
