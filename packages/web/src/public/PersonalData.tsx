/**
 * "Your data" on the status page (GDPR Art. 15 and 17): download everything we hold about the request, or
 * delete it. After a deletion the person is told what was deleted, what was kept and why.
 */
import { useState } from 'react';
import { apiBlob, api } from '../shared/api.ts';
import { PIN_HEADER } from './request/submit.ts';

interface Kept {
  what: string;
  why: string;
}

interface Erased {
  withdrew: boolean;
  deleted: string[];
  kept: Kept[];
}

export function PersonalData({ caseNumber, pin, onErased }: { caseNumber: string; pin: string; onErased: () => Promise<void> }) {
  const base = `/v1/cases/${encodeURIComponent(caseNumber)}/personal-data`;
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState<Erased>();
  const [error, setError] = useState<string>();

  const download = async () => {
    setError(undefined);
    try {
      const blob = await apiBlob(base, { headers: { [PIN_HEADER]: pin } });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `takedown-${caseNumber}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const erase = async () => {
    setError(undefined);
    try {
      setErased(await api<Erased>(`${base}/erase`, { method: 'POST', headers: { [PIN_HEADER]: pin } }));
      setConfirming(false);
      await onErased();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section aria-labelledby="your-data" data-testid="personal-data">
      <h2 id="your-data">Your data</h2>
      <p>You can get a copy of everything we hold about this request. You can also ask us to delete it.</p>
      {error && <p className="error-text" role="alert">{error}</p>}
      {erased ? (
        <div className="notice" role="status" data-testid="erased">
          <p><strong>We deleted your details.</strong>{erased.withdrew ? ' Your request is withdrawn, because we can no longer contact you about it.' : ''}</p>
          <p>We deleted:</p>
          <ul>{erased.deleted.map((d) => <li key={d}>{d}</li>)}</ul>
          <p>The law asks us to keep a few records. We kept:</p>
          <ul>{erased.kept.map((k) => <li key={k.what}>{k.what} <em>Why:</em> {k.why}</li>)}</ul>
        </div>
      ) : (
        <>
          <div className="form-buttons">
            <button type="button" className="button" onClick={() => void download()}>Download my data</button>
            {!confirming && <button type="button" className="button" onClick={() => setConfirming(true)}>Delete my data</button>}
          </div>
          {confirming && (
            <div className="confirm-box" role="group" aria-labelledby="erase-question">
              <p id="erase-question">
                <strong>Delete your details now?</strong> We will delete your name, contact details, statement and links. If your request is still open, it stops. This cannot be undone.
              </p>
              <div className="form-buttons">
                <button type="button" className="button button-danger" onClick={() => void erase()}>Yes, delete my data</button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>No, keep it</button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
