/** Finishing a saved request: the code brings back what was filled in. The code is typed, never put in the address. */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { Link } from './Layout.tsx';
import type { ResumedRequest } from './request/RequestForm.tsx';
import { fromDraftContent, loadDraft } from './request/saved-draft.ts';

export function ResumeDraft({ onResumed }: { onResumed: (resumed: ResumedRequest) => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const resume = async () => {
    const token = code.trim();
    if (!token) return setError('Type or paste the code you got when you saved your request.');
    setBusy(true);
    setError(undefined);
    try {
      const saved = await loadDraft(token);
      onResumed({ draft: fromDraftContent(saved.content), token });
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 404
        ? 'We could not find a saved request with this code. It may have expired. Saved requests are kept for a few days only. You can start again.'
        : caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>Finish a saved request</h1>
      <p>Type or paste the code you got when you saved your request.</p>
      <form noValidate onSubmit={(e) => { e.preventDefault(); void resume(); }}>
        <Field id="draft-code" label="Your code" error={error}>
          {(aria) => <input {...aria} type="text" autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        <div className="form-buttons">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Opening…' : 'Open my request'}</button>
        </div>
      </form>
      <p>No code? You can <Link to="/request">start a new request</Link>.</p>
    </>
  );
}
