/** The review queue: every open item, breached and escalated first, then by deadline, with time left in words. */
import { useEffect, useState } from 'react';
import { navigate } from '../shared/router.ts';
import { formatDateTime, timeLeft } from '../shared/time.ts';
import { api } from '../shared/api.ts';
import { filterQueue, orderQueue, platformOf, queueQuery, type QueueEntry, type QueueFilters } from './queue-view.ts';

const ITEM_STATES = ['pending', 'confirmed', 'removed', 'declined', 'withdrawn'];

interface QueueResponse {
  items: QueueEntry[];
}

export function QueuePage({ senior }: { senior: boolean }) {
  const [entries, setEntries] = useState<QueueEntry[]>();
  const [error, setError] = useState<string>();
  const [filters, setFilters] = useState<QueueFilters>({ state: '', platform: '', escalated: 'any' });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    setEntries(undefined);
    api<QueueResponse>(`/v1/review/queue?${queueQuery(filters, senior)}`).then(
      (response) => setEntries(response.items),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [senior, filters.state, filters.escalated]);

  const shown = entries ? orderQueue(filterQueue(entries, filters), now) : [];
  const platforms = [...new Set((entries ?? []).map((e) => platformOf(e.url)).filter(Boolean))].sort();

  return (
    <>
      <h1>{senior ? 'Senior queue' : 'Review queue'}</h1>
      <p>{senior ? 'Items escalated or routed for senior review (bulk requests, repeat notifiers, public interest).' : 'Overdue and escalated items come first, then the soonest deadline.'}</p>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-state">State</label>
          <select id="filter-state" value={filters.state} onChange={(e) => setFilters({ ...filters, state: e.target.value })}>
            <option value="">Open (pending or confirmed)</option>
            {ITEM_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-platform">Platform</label>
          <select id="filter-platform" value={filters.platform} onChange={(e) => setFilters({ ...filters, platform: e.target.value })}>
            <option value="">All platforms</option>
            {platforms.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-escalated">Escalated</label>
          <select id="filter-escalated" value={filters.escalated} onChange={(e) => setFilters({ ...filters, escalated: e.target.value as QueueFilters['escalated'] })}>
            <option value="any">Any</option>
            <option value="yes">Escalated only</option>
            <option value="no">Not escalated</option>
          </select>
        </div>
      </form>
      {error && <p className="error-summary" role="alert">{error}</p>}
      {!entries && !error && <p>Loading the queue…</p>}
      {entries && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{shown.length} items, most urgent first</caption>
            <thead>
              <tr><th scope="col">Time left</th><th scope="col">Item</th><th scope="col">Case</th><th scope="col">State</th><th scope="col">Deadline</th></tr>
            </thead>
            <tbody>
              {shown.length === 0 && <tr><td colSpan={5}>Nothing waiting. Well done.</td></tr>}
              {shown.map((entry) => {
                const left = timeLeft(entry.deadline, now);
                const urgency = left.overdue ? 'overdue' : left.ms < 12 * 3_600_000 ? 'soon' : '';
                return (
                  <tr key={entry.itemId} data-item-id={entry.itemId}>
                    <td>
                      <span className={`time-left ${urgency}`}>{left.text}</span><br />
                      {(entry.breached || left.overdue) && <span className="tag tag-breached">Breached</span>}
                      {entry.escalationLevel > 0 && <span className="tag tag-escalated">Escalated {entry.escalationLevel}</span>}
                      {entry.queue === 'senior' && <span className="tag tag-senior">Senior</span>}
                      {entry.demo && <span className="tag tag-demo">Demo</span>}
                    </td>
                    <td>
                      <a href={`/review/items/${encodeURIComponent(entry.itemId)}`} onClick={(e) => { e.preventDefault(); navigate(`/review/items/${encodeURIComponent(entry.itemId)}`); }}>
                        {entry.reportedBy ? `Copy reported by ${entry.reportedBy}` : entry.url ? <span className="break">{entry.url}</span> : 'Picture known by its fingerprint'}
                      </a>
                    </td>
                    <td className="mono">{entry.caseNumber}</td>
                    <td>{entry.state.replace(/_/g, ' ')}</td>
                    <td>{formatDateTime(entry.deadline)}</td>
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
