/**
 * "Your data" on the status page (GDPR Art. 15 and 17): download everything we hold about the request, or
 * delete it. After a deletion the person is told what was deleted, what was kept and why.
 */
import { useState, type ReactNode } from 'react';
import { apiBlob, api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { useT, type PublicId } from './i18n.ts';
import { PIN_HEADER } from './request/submit.ts';

interface Erased {
  withdrew: boolean;
}

/**
 * What a deletion removes and what it keeps, with the law's reason, in the reader's language: the same lists,
 * in the same order, as the server's receipt (services/requester-data.ts), which the API gives in English.
 */
const DELETED: PublicId[] = ['data.deleted.name', 'data.deleted.contact', 'data.deleted.statement', 'data.deleted.links', 'data.deleted.copies'];
const KEPT: { what: PublicId; why: PublicId }[] = [
  { what: 'data.kept.records', why: 'data.kept.recordsWhy' },
  { what: 'data.kept.hashes', why: 'data.kept.hashesWhy' },
  { what: 'data.kept.contactCode', why: 'data.kept.contactCodeWhy' },
  { what: 'data.kept.log', why: 'data.kept.logWhy' },
];

export function PersonalData({ caseNumber, pin, onErased }: { caseNumber: string; pin: string; onErased: () => Promise<void> }) {
  const t = useT();
  const base = `/v1/cases/${encodeURIComponent(caseNumber)}/personal-data`;
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState<Erased>();
  const [error, setError] = useState<string>();
  const strong = (chunks: ReactNode[]) => <strong>{chunks}</strong>;

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
      setError(apiErrorText(t, caught));
    }
  };

  const erase = async () => {
    setError(undefined);
    try {
      setErased(await api<Erased>(`${base}/erase`, { method: 'POST', headers: { [PIN_HEADER]: pin } }));
      setConfirming(false);
      await onErased();
    } catch (caught) {
      setError(apiErrorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="your-data" data-testid="personal-data">
      <h2 id="your-data">{t.text('data.heading')}</h2>
      <p>{t.text('data.intro')}</p>
      {error && <p className="error-text" role="alert">{error}</p>}
      {erased ? (
        <div className="notice" role="status" data-testid="erased">
          <p>{t.rich(erased.withdrew ? 'data.erasedWithdrew' : 'data.erased', { strong })}</p>
          <p>{t.text('data.deletedIntro')}</p>
          <ul>{DELETED.map((id) => <li key={id}>{t.text(id)}</li>)}</ul>
          <p>{t.text('data.keptIntro')}</p>
          <ul>{KEPT.map((k) => <li key={k.what}>{t.rich('data.keptItem', { what: t.text(k.what), why: t.text(k.why), em: (chunks) => <em>{chunks}</em> })}</li>)}</ul>
        </div>
      ) : (
        <>
          <div className="form-buttons">
            <button type="button" className="button" onClick={() => void download()}>{t.text('data.download')}</button>
            {!confirming && <button type="button" className="button" onClick={() => setConfirming(true)}>{t.text('data.delete')}</button>}
          </div>
          {confirming && (
            <div className="confirm-box" role="group" aria-labelledby="erase-question">
              <p id="erase-question">{t.rich('data.confirm', { strong })}</p>
              <div className="form-buttons">
                <button type="button" className="button button-danger" onClick={() => void erase()}>{t.text('data.confirmYes')}</button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>{t.text('data.confirmNo')}</button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
