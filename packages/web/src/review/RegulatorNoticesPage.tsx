/**
 * Regulators' removal notices (an eSafety Commissioner removal notice, say): senior staff enter one, and its
 * items go to the queue marked as a notice, due when the notice says. Below, the notices entered so far.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { navigate, useFocusHeading } from '../shared/router.ts';
import { useT, type ReviewId } from './i18n.ts';
import { staffApi } from './session.ts';

interface Profile {
  code: string;
  removalDeadlineHours: number;
  regulator?: { name: string; url: string };
}

interface NoticeEntry {
  id: string;
  caseNumber: string;
  regulator: string;
  reference: string;
  jurisdiction: string;
  periodHours: number | null;
  receivedAt: string;
  dueAt: string;
  enteredBy: string;
  items: number;
}

type Field = 'regulator' | 'reference' | 'jurisdiction' | 'receivedAt' | 'periodHours' | 'dueAt' | 'items';
type FormError = { field: Field; message: ReviewId } | { field: Field | 'form'; error: unknown };

/** A `datetime-local` value read in the reviewer's own time zone, sent with it (as UTC). */
function instant(value: string): string | undefined {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function RegulatorNoticesPage() {
  const t = useT();
  useFocusHeading('notices');
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [notices, setNotices] = useState<NoticeEntry[]>();
  const [loadError, setLoadError] = useState<{ error: unknown }>();
  const [regulator, setRegulator] = useState('');
  const [reference, setReference] = useState('');
  const [jurisdiction, setJurisdiction] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [kind, setKind] = useState<'period' | 'due'>('period');
  const [periodHours, setPeriodHours] = useState('24');
  const [dueAt, setDueAt] = useState('');
  const [urls, setUrls] = useState('');
  const [error, setError] = useState<FormError>();
  const [entered, setEntered] = useState<NoticeEntry & { itemIds: string[] }>();
  const [busy, setBusy] = useState(false);

  const load = () =>
    staffApi<{ notices: NoticeEntry[]; jurisdictions: Profile[]; defaultJurisdiction: string }>('/v1/regulator-notices').then(
      (response) => {
        setNotices(response.notices);
        setProfiles(response.jurisdictions);
        setJurisdiction((current) => current || response.defaultJurisdiction);
      },
      (e: unknown) => setLoadError({ error: e }),
    );
  useEffect(() => void load(), []);

  const chooseJurisdiction = (code: string) => {
    const before = profiles.find((p) => p.code === jurisdiction)?.regulator?.name;
    const after = profiles.find((p) => p.code === code);
    setJurisdiction(code);
    // The regime's regulator fills an empty (or untouched) regulator field; the period its usual clock.
    if (after?.regulator && (regulator === '' || regulator === before)) setRegulator(after.regulator.name);
  };

  const errorText = (field: Field | 'form') => {
    if (!error || error.field !== field) return '';
    if ('message' in error) return t.text(error.message);
    return field === 'form' ? apiErrorText(t, error.error) : error.error instanceof Error ? error.error.message : String(error.error);
  };
  const fail = (field: Field, message: ReviewId) => {
    setError({ field, message });
    document.getElementById(`notice-${field}`)?.focus();
  };

  const submit = async () => {
    setError(undefined);
    setEntered(undefined);
    const lines = urls.split('\n').map((line) => line.trim()).filter(Boolean);
    if (!regulator.trim()) return fail('regulator', 'notices.regulatorMissing');
    if (!reference.trim()) return fail('reference', 'notices.referenceMissing');
    const received = receivedAt ? instant(receivedAt) : undefined;
    if (receivedAt && !received) return fail('receivedAt', 'notices.timeInvalid');
    if (kind === 'period' && !periodHours.trim()) return fail('periodHours', 'notices.periodMissing');
    const due = kind === 'due' && dueAt ? instant(dueAt) : undefined;
    if (kind === 'due' && !due) return fail('dueAt', dueAt ? 'notices.timeInvalid' : 'notices.dueMissing');
    if (lines.length === 0) return fail('items', 'notices.urlsMissing');
    setBusy(true);
    try {
      const body = {
        regulator: regulator.trim(),
        reference: reference.trim(),
        jurisdiction,
        ...(received && { receivedAt: received }),
        ...(kind === 'period' ? { periodHours: periodHours.trim() } : { dueAt: due }),
        items: lines.map((url) => ({ url })),
      };
      const result = await staffApi<NoticeEntry & { itemIds: string[] }>('/v1/regulator-notices', { method: 'POST', body });
      setEntered(result);
      setReference('');
      setUrls('');
      setReceivedAt('');
      void load();
    } catch (e) {
      const first = e instanceof ApiError ? e.fields[0]?.field.split('.')[0] : undefined;
      const field = (['regulator', 'reference', 'jurisdiction', 'receivedAt', 'periodHours', 'dueAt', 'items'] as const).find((f) => f === first);
      setError({ field: field ?? 'form', error: e });
    } finally {
      setBusy(false);
    }
  };

  const described = (field: Field) => (error?.field === field ? { 'aria-describedby': `notice-${field}-error`, 'aria-invalid': true as const } : {});
  const fieldError = (field: Field) => errorText(field) && <p className="error-text" id={`notice-${field}-error`} role="alert">{errorText(field)}</p>;

  return (
    <>
      <h1>{t.text('title.notices')}</h1>
      <p>{t.text('notices.intro')}</p>
      {entered && (
        <p className="notice" role="status">
          {t.text('notices.entered', { caseNumber: entered.caseNumber, count: entered.items, due: t.dateTime(entered.dueAt) })}{' '}
          {entered.itemIds[0] && (
            <a href={`/review/items/${encodeURIComponent(entered.itemIds[0])}`} onClick={(e) => { e.preventDefault(); navigate(`/review/items/${encodeURIComponent(entered.itemIds[0])}`); }}>
              {t.text('notices.openCase')}
            </a>
          )}
        </p>
      )}
      <section className="decision-box" aria-labelledby="notice-form-heading">
        <h2 id="notice-form-heading">{t.text('notices.formHeading')}</h2>
        {error?.field === 'form' && <p className="error-text" role="alert">{errorText('form')}</p>}
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
          <div className="field">
            <label htmlFor="notice-jurisdiction">{t.text('notices.jurisdiction')}</label>
            {fieldError('jurisdiction')}
            <select id="notice-jurisdiction" value={jurisdiction} onChange={(e) => chooseJurisdiction(e.target.value)} {...described('jurisdiction')}>
              {profiles.map((p) => <option key={p.code} value={p.code}>{t.text('notices.jurisdictionOption', { code: p.code, regulator: p.regulator?.name ?? p.code })}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="notice-regulator">{t.text('notices.regulator')}</label>
            {fieldError('regulator')}
            <input id="notice-regulator" type="text" maxLength={200} value={regulator} onChange={(e) => setRegulator(e.target.value)} {...described('regulator')} />
          </div>
          <div className="field">
            <label htmlFor="notice-reference">{t.text('notices.reference')}</label>
            {fieldError('reference')}
            <input id="notice-reference" type="text" maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} {...described('reference')} />
          </div>
          <div className="field">
            <label htmlFor="notice-receivedAt">{t.text('notices.receivedAt')}</label>
            <p className="hint" id="notice-receivedAt-hint">{t.text('notices.receivedAtHint')}</p>
            {fieldError('receivedAt')}
            <input id="notice-receivedAt" type="datetime-local" value={receivedAt} onChange={(e) => setReceivedAt(e.target.value)} aria-describedby={error?.field === 'receivedAt' ? 'notice-receivedAt-error notice-receivedAt-hint' : 'notice-receivedAt-hint'} aria-invalid={error?.field === 'receivedAt' ? true : undefined} />
          </div>
          <fieldset className="field">
            <legend>{t.text('notices.deadlineKind')}</legend>
            <label className="choice"><input type="radio" name="notice-kind" checked={kind === 'period'} onChange={() => setKind('period')} /> {t.text('notices.byPeriod')}</label>
            <label className="choice"><input type="radio" name="notice-kind" checked={kind === 'due'} onChange={() => setKind('due')} /> {t.text('notices.byDue')}</label>
          </fieldset>
          {kind === 'period' ? (
            <div className="field">
              <label htmlFor="notice-periodHours">{t.text('notices.periodHours')}</label>
              {fieldError('periodHours')}
              <input id="notice-periodHours" type="text" inputMode="numeric" pattern="[0-9]*" size={5} value={periodHours} onChange={(e) => setPeriodHours(e.target.value)} {...described('periodHours')} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor="notice-dueAt">{t.text('notices.dueAt')}</label>
              {fieldError('dueAt')}
              <input id="notice-dueAt" type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.target.value)} {...described('dueAt')} />
            </div>
          )}
          <div className="field">
            <label htmlFor="notice-items">{t.text('notices.urls')}</label>
            {fieldError('items')}
            <textarea id="notice-items" rows={4} value={urls} onChange={(e) => setUrls(e.target.value)} {...described('items')} />
          </div>
          <div className="form-buttons">
            <button type="submit" className="button button-primary" disabled={busy}>{t.text('notices.submit')}</button>
          </div>
        </form>
      </section>
      <h2>{t.text('notices.listHeading')}</h2>
      {loadError && <p className="error-summary" role="alert">{apiErrorText(t, loadError.error)}</p>}
      {!notices && !loadError && <p>{t.text('notices.loading')}</p>}
      {notices && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="notices-caption">
          <table>
            <caption className="visually-hidden" id="notices-caption">{t.text('notices.caption', { count: notices.length })}</caption>
            <thead>
              <tr><th scope="col">{t.text('notices.colCase')}</th><th scope="col">{t.text('notices.colRegulator')}</th><th scope="col">{t.text('notices.colReference')}</th><th scope="col">{t.text('notices.colDue')}</th><th scope="col">{t.text('notices.colItems')}</th></tr>
            </thead>
            <tbody>
              {notices.length === 0 && <tr><td colSpan={5}>{t.text('notices.none')}</td></tr>}
              {notices.map((notice) => (
                <tr key={notice.id} data-notice-id={notice.id}>
                  <td className="mono">{notice.caseNumber}</td>
                  <td>{notice.regulator} ({notice.jurisdiction})</td>
                  <td>{notice.reference}</td>
                  <td>{t.dateTime(notice.dueAt)}</td>
                  <td>{notice.items}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
