/** Finishing a saved request: the code brings back what was filled in. The code is typed, never put in the address. */
import { useEffect, useRef, useState } from 'react';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT } from './i18n.ts';
import { Link } from './Layout.tsx';
import type { ResumedRequest } from './request/RequestForm.tsx';
import { fromDraftContent, loadDraft } from './request/saved-draft.ts';

export function ResumeDraft({ onResumed }: { onResumed: (resumed: ResumedRequest) => void }) {
  const t = useT();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const resume = async () => {
    const token = code.trim();
    if (!token) return setError(t.text('resume.intro'));
    setBusy(true);
    setError(undefined);
    try {
      const saved = await loadDraft(token);
      const nameOf = (kind: 'image' | 'video', number: number) => t.text(kind === 'video' ? 'resume.savedVideo' : 'resume.savedPicture', { number });
      onResumed({ draft: fromDraftContent(saved.content, nameOf), token });
    } catch (caught) {
      setError(apiErrorText(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>{t.text('resume.heading')}</h1>
      <p>{t.text('resume.intro')}</p>
      <form noValidate onSubmit={(e) => { e.preventDefault(); void resume(); }}>
        <Field id="draft-code" label={t.text('resume.code')} error={error}>
          {(aria) => <input {...aria} type="text" autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        <div className="form-buttons">
          <button type="submit" className="button button-primary" disabled={busy}>{t.text(busy ? 'resume.opening' : 'resume.open')}</button>
        </div>
      </form>
      <p>{t.rich('resume.noCode', { link: (chunks) => <Link to="/request">{chunks}</Link> })}</p>
    </>
  );
}
