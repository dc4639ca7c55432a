/**
 * "Save and finish later": the unfinished request is kept on the server, locked (encrypted), under a code shown
 * once. Nothing starts until it is sent. The code is the only way back to it.
 */
import { useState } from 'react';
import { formatDateTime } from '../../shared/time.ts';
import type { RequestDraft } from './draft.ts';
import { saveDraft } from './saved-draft.ts';

function saveCodeAsFile(code: string, expiresAt: string): void {
  const text = [
    'Take it down: your unfinished request',
    '',
    `Code: ${code}`,
    `Finish it before ${formatDateTime(expiresAt)} at ${window.location.origin}/request/resume`,
    'Keep this file private.',
    '',
  ].join('\n');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  link.download = 'takedown-unfinished-request.txt';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function SaveForLater({ draft, token, onSaved }: { draft: RequestDraft; token: string | undefined; onSaved: (token: string) => void }) {
  const [saved, setSaved] = useState<{ code: string; expiresAt: string; missing: string[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const state = await saveDraft(draft, token);
      onSaved(state.draftToken);
      setSaved({ code: state.draftToken, expiresAt: state.expiresAt, missing: state.missing.map((m) => m.description) });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="save-later">
      <button type="button" className="button" onClick={() => void save()} disabled={busy}>
        {busy ? 'Saving…' : 'Save and finish later'}
      </button>
      {error && <p className="error-text" role="alert">{error}</p>}
      {saved && (
        <div className="case-card" role="status" data-testid="saved-draft">
          <h2>Your request is saved</h2>
          <p>We have not started on it yet. To finish it, go to “Finish a saved request” and use this code:</p>
          <p className="code break" data-testid="draft-code">{saved.code}</p>
          <p>We can show it only now. Keep it private. It works until <strong>{formatDateTime(saved.expiresAt)}</strong>.</p>
          {saved.missing.length > 0 && (
            <>
              <p>Still needed before we can act:</p>
              <ul>{saved.missing.map((m) => <li key={m}>{m}</li>)}</ul>
            </>
          )}
          <div className="form-buttons">
            <button type="button" className="button" onClick={() => saveCodeAsFile(saved.code, saved.expiresAt)}>Save the code as a file</button>
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(saved.code)}>Copy the code</button>
          </div>
          <p className="hint">Pictures you chose stay on this device. Only their fingerprints are saved.</p>
        </div>
      )}
    </div>
  );
}
