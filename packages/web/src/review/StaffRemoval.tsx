/**
 * For a confirmed item no connected platform hosts: staff took it to the site themselves, and record here that
 * it is gone. This stops the item's clock at the time given (default now), with the note of how they know.
 */
import { useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { useT } from './i18n.ts';
import { staffApi } from './session.ts';

export function StaffRemoval({ itemId, onRecorded }: { itemId: string; onRecorded: () => void }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [removedAt, setRemovedAt] = useState('');
  const [error, setError] = useState<{ field: 'note' | 'removedAt' | 'form'; message: string }>();
  const [busy, setBusy] = useState(false);

  const record = async () => {
    setError(undefined);
    if (!note.trim()) {
      document.getElementById('removal-note')?.focus();
      return setError({ field: 'note', message: t.text('removal.noteMissing') });
    }
    const at = removedAt ? new Date(removedAt) : undefined;
    if (at && Number.isNaN(at.getTime())) return setError({ field: 'removedAt', message: t.text('removal.timeInvalid') });
    setBusy(true);
    try {
      await staffApi(`/v1/review/items/${encodeURIComponent(itemId)}/removed`, { method: 'POST', body: { note: note.trim(), ...(at ? { removedAt: at.toISOString() } : {}) } });
      onRecorded();
    } catch (e) {
      const field = e instanceof ApiError && (e.fields[0]?.field === 'removedAt' || e.fields[0]?.field === 'note') ? e.fields[0].field : 'form';
      setError({ field, message: field === 'form' ? apiErrorText(t, e) : e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="decision-box" aria-labelledby="removal-heading">
      <h2 id="removal-heading">{t.text('removal.heading')}</h2>
      <p>{t.text('removal.intro')}</p>
      {error?.field === 'form' && <p className="error-text" role="alert">{error.message}</p>}
      <div className="field">
        <label htmlFor="removal-note">{t.text('removal.note')}</label>
        {error?.field === 'note' && <p className="error-text" id="removal-note-error" role="alert">{error.message}</p>}
        <textarea id="removal-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={error?.field === 'note' ? 'removal-note-error' : undefined} aria-invalid={error?.field === 'note' ? true : undefined} />
      </div>
      <div className="field">
        <label htmlFor="removal-time">{t.text('removal.time')}</label>
        {error?.field === 'removedAt' && <p className="error-text" id="removal-time-error" role="alert">{error.message}</p>}
        <input id="removal-time" type="datetime-local" value={removedAt} onChange={(e) => setRemovedAt(e.target.value)} aria-describedby={error?.field === 'removedAt' ? 'removal-time-error' : undefined} aria-invalid={error?.field === 'removedAt' ? true : undefined} />
      </div>
      <div className="form-buttons">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void record()}>{t.text('removal.submit')}</button>
      </div>
    </section>
  );
}
