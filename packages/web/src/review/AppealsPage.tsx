/** The appeal queue: uploaders' appeals against removals, open ones soonest due first (DSA Art. 20). */
import { useEffect, useState } from 'react';
import { navigate, useFocusHeading } from '../shared/router.ts';
import { formatDateTime, timeLeft } from '../shared/time.ts';
import { api } from '../shared/api.ts';

export interface AppealEntry {
  appealId: string;
  itemId: string;
  caseNumber: string;
  state: string;
  itemState: string;
  jurisdiction: string;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  itemDecidedBy?: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
  demo: boolean;
}

export function AppealsPage({ username }: { username: string }) {
  const [show, setShow] = useState<'open' | 'decided'>('open');
  const [appeals, setAppeals] = useState<AppealEntry[]>();
  const [error, setError] = useState<string>();
  const now = Date.now();
  useFocusHeading('appeals');
  useEffect(() => {
    setAppeals(undefined);
    api<{ appeals: AppealEntry[] }>(`/v1/review/appeals?state=${show}`).then(
      (response) => setAppeals(response.appeals),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [show]);

  return (
    <>
      <h1>Appeals</h1>
      <p>Uploaders who think a removal was wrong can appeal through their platform. Someone other than the reviewer who decided the item must decide, with reasons, before the due time.</p>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="appeal-state">Show</label>
          <select id="appeal-state" value={show} onChange={(e) => setShow(e.target.value as 'open' | 'decided')}>
            <option value="open">Open appeals</option>
            <option value="decided">Decided appeals</option>
          </select>
        </div>
      </form>
      {error && <p className="error-summary" role="alert">{error}</p>}
      {!appeals && !error && <p>Loading the appeals…</p>}
      {appeals && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{appeals.length} appeals</caption>
            <thead>
              <tr><th scope="col">{show === 'open' ? 'Time left' : 'Outcome'}</th><th scope="col">Appeal</th><th scope="col">Case</th><th scope="col">Item</th><th scope="col">{show === 'open' ? 'Due' : 'Decided'}</th></tr>
            </thead>
            <tbody>
              {appeals.length === 0 && <tr><td colSpan={5}>{show === 'open' ? 'No open appeals.' : 'No decided appeals yet.'}</td></tr>}
              {appeals.map((appeal) => {
                const left = timeLeft(appeal.dueAt, now);
                const mine = appeal.itemDecidedBy === `staff:${username}`;
                const to = `/review/appeals/${encodeURIComponent(appeal.appealId)}`;
                return (
                  <tr key={appeal.appealId} data-appeal-id={appeal.appealId}>
                    <td>
                      {show === 'open' ? <span className={`time-left ${left.overdue ? 'overdue' : left.ms < 24 * 3_600_000 ? 'soon' : ''}`}>{left.text}</span> : <span className="state-badge">{appeal.state}</span>}
                      {appeal.overdue && <><br /><span className="tag tag-breached">Overdue</span></>}
                      {mine && <><br /><span className="tag tag-senior">You decided the item</span></>}
                      {appeal.demo && <span className="tag tag-demo">Demo</span>}
                    </td>
                    <td><a href={to} onClick={(e) => { e.preventDefault(); navigate(to); }}>Appeal opened {formatDateTime(appeal.openedAt)}</a></td>
                    <td className="mono">{appeal.caseNumber}</td>
                    <td>{appeal.itemState}</td>
                    <td>{formatDateTime(show === 'open' ? appeal.dueAt : (appeal.decidedAt ?? appeal.dueAt))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
