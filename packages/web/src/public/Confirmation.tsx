/** After sending: the case number and PIN, shown once, with ways to keep them. */
import { useEffect, useRef } from 'react';
import { formatDateTime } from '../shared/time.ts';
import type { SubmittedCase } from './request/submit.ts';
import { Link } from './Layout.tsx';
import { MinorHelp } from './MinorHelp.tsx';

function saveAsFile(result: SubmittedCase): void {
  const text = [
    'Take it down: your request',
    '',
    `Case number: ${result.caseNumber}`,
    `PIN: ${result.pin}`,
    '',
    `Check your request at ${window.location.origin}/status`,
    'Keep this file private. Anyone with the case number and PIN can see and withdraw your request.',
    '',
  ].join('\n');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  link.download = `takedown-case-${result.caseNumber}.txt`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function Confirmation({ result }: { result: SubmittedCase | undefined }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (!result) {
    return (
      <>
        <h1 ref={heading} tabIndex={-1}>Nothing to show here</h1>
        <p>This page shows your case number right after you send a request. To see a request you already sent, <Link to="/status">check your request</Link>.</p>
      </>
    );
  }
  const latest = result.items.map((i) => i.deadline).sort().at(-1);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>We got your request</h1>
      <p className="lead">Thank you. You did the right thing. A trained person will review it.</p>
      <div className="case-card" aria-labelledby="keep-these">
        <h2 id="keep-these">Keep these two things</h2>
        <p className="hint">You need both to check or change your request. We cannot show the PIN again.</p>
        <dl>
          <div><dt>Case number</dt><dd className="code" data-testid="case-number">{result.caseNumber}</dd></div>
          <div><dt>PIN</dt><dd className="code" data-testid="case-pin">{result.pin}</dd></div>
        </dl>
        <div className="form-buttons">
          <button type="button" className="button button-primary" onClick={() => saveAsFile(result)}>Save as a file</button>
          <button type="button" className="button" onClick={() => window.print()}>Print</button>
          <button
            type="button"
            className="button"
            onClick={() => void navigator.clipboard?.writeText(`Case number: ${result.caseNumber}\nPIN: ${result.pin}`)}
          >
            Copy
          </button>
        </div>
        <p className="hint">Or write them down somewhere safe. Keep them private.</p>
      </div>
      {result.under18 && <MinorHelp />}
      <h2>What happens next</h2>
      <ul>
        <li>We will review your request and take down what breaks the rules{latest ? <> by <strong>{formatDateTime(latest)}</strong> at the latest</> : null}.</li>
        <li>We will contact you if we need more details.</li>
        <li>You can <Link to="/status">check your request</Link> at any time, add more links, or withdraw it.</li>
      </ul>
      {result.sharedCopies > 0 && <p>You shared {result.sharedCopies === 1 ? 'a copy of 1 picture' : `copies of ${result.sharedCopies} pictures`} with our reviewers. They are stored locked (encrypted).</p>}
      {result.uploadFailures > 0 && (
        <p className="error-text" role="alert">
          {result.uploadFailures === 1 ? '1 picture copy' : `${result.uploadFailures} picture copies`} could not be sent. Your request is still received. Reviewers will use the links and fingerprints instead.
        </p>
      )}
    </>
  );
}
