/**
 * The compliance report (§3(a)(3)(A): removal within 48 hours): the figures, the breaches with their reasons,
 * and a histogram of time-to-removal with the 48-hour line.
 */
import { useEffect, useState } from 'react';
import { signalTypes, type BankThresholds } from '@takedown/core';
import { api } from '../shared/api.ts';
import { Field } from '../shared/Field.tsx';
import { binDurations } from './chart.ts';

/** GET /v1/reports/compliance */
export interface ComplianceReport {
  from: string;
  to: string;
  requestsReceived: number;
  requestsValid: number;
  itemsReceived: number;
  itemsDue: number;
  itemsRemoved: number;
  itemsRemovedWithinDeadline: number;
  removedWithinDeadlinePercent: number | null;
  itemsOpen: number;
  itemsDeclined: number;
  itemsWithdrawn: number;
  medianTimeToRemoval: { ms: number; hours: number } | null;
  p95TimeToRemoval: { ms: number; hours: number } | null;
  breaches: { id?: string; caseId?: string; reason: string; explanation: string; overdueMs: number }[];
  auditHead: { seq: number; hash: string };
}

/** GET /v1/banks: the hash lists upload checks match against, with the thresholds that decide block or review. */
interface Bank {
  name: string;
  kind: 'confirmed' | 'imported';
  enabled: boolean;
  hashes: number;
  /** Per signal type, its settings (core's signal registry says what they mean). */
  thresholds: BankThresholds;
}

/** A bank's thresholds in words, one line per signal type, as the signal types describe them. */
function thresholdLines(bank: Bank): string[] {
  return Object.entries(bank.thresholds).map(([name, t]) => {
    const type = signalTypes.get(name);
    return type ? `${type.label}: ${type.thresholds.describe(t)}` : `${name}: ${JSON.stringify(t)}`;
  });
}

/** GET /v1/reports/removal-times */
interface RemovalTimes {
  removals: { hoursToRemoval: number; deadlineHours: number }[];
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function CompliancePage() {
  const [from, setFrom] = useState(isoDay(Date.now() - 30 * 86_400_000));
  const [to, setTo] = useState(isoDay(Date.now() + 86_400_000));
  const [report, setReport] = useState<ComplianceReport>();
  const [times, setTimes] = useState<RemovalTimes['removals']>([]);
  const [banks, setBanks] = useState<Bank[]>();
  const [error, setError] = useState<string>();
  const load = () => {
    const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    return Promise.all([api<ComplianceReport>(`/v1/reports/compliance?${period}`), api<RemovalTimes>(`/v1/reports/removal-times?${period}`)]).then(
      ([r, t]) => { setReport(r); setTimes(t.removals); setError(undefined); },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  // The most common deadline in the period (48 h in the US); the chart draws it as the line.
  const deadlineHours = times.length > 0 ? Math.round(times[0].deadlineHours) : 48;
  useEffect(() => {
    void load();
    // Load once for the default period; later periods load on "Show".
    api<{ banks: Bank[] }>('/v1/banks').then((r) => setBanks(r.banks), () => setBanks(undefined));
  }, []);

  const fmt = (n: number | null | undefined, unit = '') => (n === null || n === undefined ? '–' : `${Math.round(n * 10) / 10}${unit}`);
  // Durations under an hour read better in minutes ("12 min" rather than "0.2 h").
  const hours = (n: number | null | undefined) => (n !== null && n !== undefined && n < 1 ? `${Math.round(n * 60)} min` : fmt(n, ' h'));
  return (
    <>
      <h1>Compliance report</h1>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <Field id="report-from" label="From">{(aria) => <input {...aria} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field id="report-to" label="To">{(aria) => <input {...aria} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
        <button type="submit" className="button">Show</button>
      </form>
      {error && <p className="error-summary" role="alert">{error}</p>}
      {report && (
        <>
          <div className="stat-grid">
            <div className="stat"><strong>{report.requestsReceived}</strong>requests received</div>
            <div className="stat"><strong>{report.requestsValid}</strong>valid</div>
            <div className="stat"><strong>{report.itemsRemoved}</strong>items removed</div>
            <div className="stat"><strong>{fmt(report.removedWithinDeadlinePercent, ' %')}</strong>of {report.itemsDue} items due were removed in time</div>
            <div className="stat"><strong>{hours(report.medianTimeToRemoval?.hours)}</strong>median time to removal</div>
            <div className="stat"><strong>{hours(report.p95TimeToRemoval?.hours)}</strong>95th percentile</div>
            <div className="stat"><strong>{report.itemsOpen}</strong>items still open</div>
            <div className="stat"><strong>{report.itemsDeclined}</strong>items declined</div>
          </div>
          <h2>Time to removal</h2>
          <RemovalChart hours={times.map((t) => t.hoursToRemoval)} deadlineHours={deadlineHours} />
          <h2>Breaches</h2>
          {report.breaches.length === 0 ? <p>No item passed its deadline in this period.</p> : (
            <table>
              <thead><tr><th scope="col">Item</th><th scope="col">Late by</th><th scope="col">Why</th></tr></thead>
              <tbody>
                {report.breaches.map((b, i) => (
                  <tr key={b.id ?? i}><td className="mono">{b.id ? b.id.slice(0, 8) : ''}</td><td>{hours(b.overdueMs / 3_600_000)}</td><td>{b.explanation}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {banks && (
            <>
              <h2>Hash banks</h2>
              <p>What upload checks match against. Only a copy of a confirmed item can be blocked without a person; an imported list&apos;s matches always go to review.</p>
              <div className="table-wrap">
                <table>
                  <thead><tr><th scope="col">Bank</th><th scope="col">Hashes</th><th scope="col">Thresholds</th></tr></thead>
                  <tbody>
                    {banks.map((b) => (
                      <tr key={b.name}>
                        <td>{b.name}{b.kind === 'imported' ? ' (imported list)' : ''}{b.enabled ? '' : ' (turned off)'}</td>
                        <td>{b.hashes}</td>
                        <td>{thresholdLines(b).map((line) => <div key={line}>{line}</div>)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <h2>Audit log</h2>
          <p>
            Making this report was recorded as event {report.auditHead.seq}. Publish its fingerprint with the report:
            {' '}<code className="mono">{report.auditHead.seq}:{report.auditHead.hash}</code>.
            {' '}Later, <code>takedown audit verify --expect-head</code> with it shows that no event up to this one was deleted.
          </p>
        </>
      )}
    </>
  );
}

/** A histogram of removals by hours taken, with the legal deadline drawn as a line. */
export function RemovalChart({ hours, deadlineHours }: { hours: number[]; deadlineHours: number }) {
  const width = 640;
  const height = 240;
  const pad = { left: 40, right: 12, top: 16, bottom: 36 };
  const bins = binDurations(hours, 4, Math.max(72, deadlineHours + 24));
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const barWidth = (width - pad.left - pad.right) / bins.length;
  const x = (i: number) => pad.left + i * barWidth;
  const y = (count: number) => pad.top + (height - pad.top - pad.bottom) * (1 - count / maxCount);
  const deadlineX = pad.left + (deadlineHours / 4) * barWidth;
  const late = hours.filter((h) => h > deadlineHours).length;
  return (
    <figure>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title chart-desc">
        <title id="chart-title">Time to removal, in hours</title>
        <desc id="chart-desc">{hours.length} removals; {hours.length - late} within {deadlineHours} hours, {late} after.</desc>
        <line x1={pad.left} y1={height - pad.bottom} x2={width - pad.right} y2={height - pad.bottom} stroke="#1b1b1f" />
        <line x1={pad.left} y1={pad.top} x2={pad.left} y2={height - pad.bottom} stroke="#1b1b1f" />
        <text x={pad.left - 6} y={pad.top + 4} textAnchor="end" fontSize="12">{maxCount}</text>
        <text x={pad.left - 6} y={height - pad.bottom} textAnchor="end" fontSize="12">0</text>
        {bins.map((bin, i) => (
          <g key={i}>
            <rect x={x(i) + 1} y={y(bin.count)} width={barWidth - 2} height={height - pad.bottom - y(bin.count)} fill={bin.fromHours >= deadlineHours ? '#b00020' : '#4b2e83'} />
            {i % 3 === 0 && <text x={x(i)} y={height - pad.bottom + 14} fontSize="11" textAnchor="middle">{bin.fromHours}</text>}
          </g>
        ))}
        <line x1={deadlineX} y1={pad.top - 8} x2={deadlineX} y2={height - pad.bottom} stroke="#b00020" strokeWidth="2" strokeDasharray="6 4" />
        <text x={deadlineX + 4} y={pad.top} fontSize="12" fill="#b00020">{deadlineHours} h legal limit</text>
        <text x={(width + pad.left) / 2} y={height - 4} fontSize="12" textAnchor="middle">hours from request to removal</text>
      </svg>
      <figcaption>{hours.length === 0 ? 'No removals in this period yet.' : `${hours.length - late} of ${hours.length} removals within ${deadlineHours} hours.`}</figcaption>
    </figure>
  );
}
