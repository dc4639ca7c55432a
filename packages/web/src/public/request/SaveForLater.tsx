/**
 * "Save and finish later": the unfinished request is kept on the server, locked (encrypted), under a code shown
 * once. Nothing starts until it is sent. The code is the only way back to it.
 */
import { useState } from 'react';
import type { Translator } from '../../i18n/I18n.tsx';
import { apiErrorText } from '../../shared/api-error-text.ts';
import { useT, type PublicId } from '../i18n.ts';
import type { RequestDraft } from './draft.ts';
import { saveDraft } from './saved-draft.ts';

/** The law's elements the server says are still missing, in the reader's language (its own words otherwise). */
const MISSING: Record<string, PublicId> = {
  signature: 'save.missing.signature',
  depiction: 'save.missing.depiction',
  good_faith: 'save.missing.good_faith',
  contact: 'save.missing.contact',
};

function saveCodeAsFile(code: string, expiresAt: string, t: Translator<PublicId>): void {
  const text = [
    t.text('save.file.title'),
    '',
    t.text('save.file.code', { code }),
    t.text('save.file.finish', { expiresAt: t.dateTime(expiresAt), address: `${window.location.origin}/request/resume` }),
    t.text('save.file.private'),
    '',
  ].join('\n');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  link.download = 'takedown-unfinished-request.txt';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function SaveForLater({ draft, token, onSaved }: { draft: RequestDraft; token: string | undefined; onSaved: (token: string) => void }) {
  const t = useT();
  const [saved, setSaved] = useState<{ code: string; expiresAt: string; missing: { element: string; description: string }[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const state = await saveDraft(draft, token);
      onSaved(state.draftToken);
      setSaved({ code: state.draftToken, expiresAt: state.expiresAt, missing: state.missing });
    } catch (caught) {
      setError(apiErrorText(t, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="save-later">
      <button type="button" className="button" onClick={() => void save()} disabled={busy}>
        {t.text(busy ? 'save.saving' : 'save.button')}
      </button>
      {error && <p className="error-text" role="alert">{error}</p>}
      {saved && (
        <div className="case-card" role="status" data-testid="saved-draft">
          <h2>{t.text('save.heading')}</h2>
          <p>{t.text('save.notStarted')}</p>
          <p className="code break" data-testid="draft-code">{saved.code}</p>
          <p>{t.rich('save.until', { expiresAt: t.dateTime(saved.expiresAt), strong: (chunks) => <strong>{chunks}</strong> })}</p>
          {saved.missing.length > 0 && (
            <>
              <p>{t.text('save.stillNeeded')}</p>
              <ul>{saved.missing.map((m) => <li key={m.element}>{MISSING[m.element] ? t.text(MISSING[m.element]) : m.description}</li>)}</ul>
            </>
          )}
          <div className="form-buttons">
            <button type="button" className="button" onClick={() => saveCodeAsFile(saved.code, saved.expiresAt, t)}>{t.text('save.asFile')}</button>
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(saved.code)}>{t.text('save.copy')}</button>
          </div>
          <p className="hint">{t.text('save.picturesStay')}</p>
        </div>
      )}
    </div>
  );
}
