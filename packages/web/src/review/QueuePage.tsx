/** The review queue: every open item, breached and escalated first, then by deadline, with time left in words. */
import { useEffect, useState } from 'react';
import { navigate } from '../shared/router.ts';
import { api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { stateText, timeLeftText, useT } from './i18n.ts';
import { filterQueue, orderQueue, platformOf, queueQuery, type QueueEntry, type QueueFilters } from './queue-view.ts';

const ITEM_STATES = ['pending', 'confirmed', 'removed', 'declined', 'withdrawn'];

interface QueueResponse {
  items: QueueEntry[];
}

export function QueuePage({ senior }: { senior: boolean }) {
  const [entries, setEntries] = useState<QueueEntry[]>();
  const t = useT();
  const [error, setError] = useState<{ error: unknown }>();
  const [filters, setFilters] = useState<QueueFilters>({ state: '', platform: '', escalated: 'any' });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    setEntries(undefined);
    api<QueueResponse>(`/v1/review/queue?${queueQuery(filters, senior)}`).then(
      (response) => setEntries(response.items),
      (e: unknown) => setError({ error: e }),
    );
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [senior, filters.state, filters.escalated]);

  const shown = entries ? orderQueue(filterQueue(entries, filters), now) : [];
  const platforms = [...new Set((entries ?? []).map((e) => platformOf(e.url)).filter(Boolean))].sort();

  return (
    <>
      <h1>{t.text(senior ? 'title.seniorQueue' : 'title.queue')}</h1>
      <p>{t.text(senior ? 'queue.seniorIntro' : 'queue.intro')}</p>
      <form className="filters" aria-label={t.text('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-state">{t.text('queue.state')}</label>
          <select id="filter-state" value={filters.state} onChange={(e) => setFilters({ ...filters, state: e.target.value })}>
            <option value="">{t.text('queue.stateOpen')}</option>
            {ITEM_STATES.map((s) => <option key={s} value={s}>{stateText(t, s)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-platform">{t.text('queue.platform')}</label>
          <select id="filter-platform" value={filters.platform} onChange={(e) => setFilters({ ...filters, platform: e.target.value })}>
            <option value="">{t.text('queue.platformAll')}</option>
            {platforms.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-escalated">{t.text('queue.escalated')}</label>
          <select id="filter-escalated" value={filters.escalated} onChange={(e) => setFilters({ ...filters, escalated: e.target.value as QueueFilters['escalated'] })}>
            <option value="any">{t.text('queue.escalatedAny')}</option>
            <option value="yes">{t.text('queue.escalatedYes')}</option>
            <option value="no">{t.text('queue.escalatedNo')}</option>
          </select>
        </div>
      </form>
      {error && <p className="error-summary" role="alert">{apiErrorText(t, error.error)}</p>}
      {!entries && !error && <p>{t.text('queue.loading')}</p>}
      {entries && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="queue-caption">
          <table>
            <caption className="visually-hidden" id="queue-caption">{t.text('queue.caption', { count: shown.length })}</caption>
            <thead>
              <tr><th scope="col">{t.text('queue.colTimeLeft')}</th><th scope="col">{t.text('queue.colItem')}</th><th scope="col">{t.text('queue.colCase')}</th><th scope="col">{t.text('queue.colState')}</th><th scope="col">{t.text('queue.colDeadline')}</th></tr>
            </thead>
            <tbody>
              {shown.length === 0 && <tr><td colSpan={5}>{t.text('queue.empty')}</td></tr>}
              {shown.map((entry) => {
                const left = timeLeftText(t, entry.deadline, now);
                const urgency = left.overdue ? 'overdue' : left.ms < 12 * 3_600_000 ? 'soon' : '';
                return (
                  <tr key={entry.itemId} data-item-id={entry.itemId}>
                    <td>
                      <span className={`time-left ${urgency}`}>{left.text}</span><br />
                      {(entry.breached || left.overdue) && <span className="tag tag-breached">{t.text('tag.breached')}</span>}
                      {entry.escalationLevel > 0 && <span className="tag tag-escalated">{t.text('tag.escalated', { level: entry.escalationLevel })}</span>}
                      {entry.queue === 'senior' && <span className="tag tag-senior">{t.text('tag.senior')}</span>}
                      {entry.regulatorNotice && <span className="tag tag-notice">{t.text('tag.regulatorNotice', { regulator: entry.regulatorNotice.regulator })}</span>}
                      {entry.demo && <span className="tag tag-demo">{t.text('tag.demo')}</span>}
                    </td>
                    <td>
                      <a href={`/review/items/${encodeURIComponent(entry.itemId)}`} onClick={(e) => { e.preventDefault(); navigate(`/review/items/${encodeURIComponent(entry.itemId)}`); }}>
                        {entry.reportedBy ? t.text('queue.copyReportedBy', { platform: entry.reportedBy }) : entry.url ? <span className="break">{entry.url}</span> : t.text('queue.fingerprintOnly')}
                      </a>
                    </td>
                    <td className="mono">{entry.caseNumber}</td>
                    <td>{stateText(t, entry.state)}</td>
                    <td>{t.dateTime(entry.deadline)}</td>
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
