/** After sending: the case number and PIN, shown once, with ways to keep them. */
import { useEffect, useRef } from 'react';
import type { Translator } from '../i18n/I18n.tsx';
import { useT, type PublicId } from './i18n.ts';
import type { SubmittedCase } from './request/submit.ts';
import { Link } from './Layout.tsx';
import { MinorHelp } from './MinorHelp.tsx';
import { caseFileName, caseFileText } from './case-file.ts';
import { caseFileNameLines, recalledFileNames } from './item-names.ts';

function saveAsFile(result: SubmittedCase, t: Translator<PublicId>): void {
  const now = new Date();
  // The person's own file names, so the status page can show them again on another day (item-names.ts).
  const names = caseFileNameLines(recalledFileNames(result.caseNumber));
  const text = caseFileText(result.caseNumber, result.pin, {
    title: t.text('done.file.title'),
    date: t.intl.formatDate(now, { dateStyle: 'long' }),
    caseNumberLabel: t.text('done.caseNumber'),
    pinLabel: t.text('done.pin'),
    items: names.length > 0 ? [t.text('done.file.items'), ...names] : [],
    checkAt: t.text('done.file.checkAt', { address: `${window.location.origin}/status` }),
    private: t.text('done.file.private'),
  });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  // A neutral name: it lands in Downloads, where others may see it.
  link.download = caseFileName(now);
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function Confirmation({ result }: { result: SubmittedCase | undefined }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (!result) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>{t.text('done.nothing')}</h1>
        <p>{t.rich('done.nothingText', { link: (chunks) => <Link to="/status">{chunks}</Link> })}</p>
      </>
    );
  }
  const latest = result.items.map((i) => i.deadline).sort().at(-1);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>{t.text('done.heading')}</h1>
      <p className="lead">{t.text('done.lead')}</p>
      <div className="case-card" aria-labelledby="keep-these">
        <h2 id="keep-these">{t.text('done.keep')}</h2>
        <p className="hint">{t.text('done.keepHint')}</p>
        <dl>
          <div><dt>{t.text('done.caseNumber')}</dt><dd className="code" data-testid="case-number">{result.caseNumber}</dd></div>
          <div><dt>{t.text('done.pin')}</dt><dd className="code" data-testid="case-pin">{result.pin}</dd></div>
        </dl>
        <div className="form-buttons">
          <button type="button" className="button button-primary" onClick={() => saveAsFile(result, t)}>{t.text('done.save')}</button>
          <button type="button" className="button" onClick={() => window.print()}>{t.text('done.print')}</button>
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard?.writeText(`${t.text('done.caseNumber')}: ${result.caseNumber}\n${t.text('done.pin')}: ${result.pin}`)}
          >
            {t.text('done.copy')}
          </button>
        </div>
        <p className="hint">{t.text('done.writeDown')}</p>
      </div>
      {result.under18 && <MinorHelp />}
      <h2>{t.text('done.next')}</h2>
      <ul>
        <li>{latest ? t.rich('done.next.reviewBy', { deadline: t.dateTime(latest), strong: (chunks) => <strong>{chunks}</strong> }) : t.text('done.next.review')}</li>
        <li>{t.text('done.next.contact')}</li>
        <li>{t.rich('done.next.check', { link: (chunks) => <Link to="/status">{chunks}</Link> })}</li>
      </ul>
      {result.sharedCopies > 0 && <p>{t.text('done.shared', { count: result.sharedCopies })}</p>}
      {result.uploadFailures > 0 && (
        <p className="error-text" role="alert">
          {t.text('done.uploadFailed', { count: result.uploadFailures })}
        </p>
      )}
    </>
  );
}
