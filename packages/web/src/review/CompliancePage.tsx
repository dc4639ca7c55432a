/**
 * The compliance report (§3(a)(3)(A): removal within 48 hours): the figures, the breaches with their reasons,
 * and a histogram of time-to-removal with the 48-hour line.
 */
import { useEffect, useState } from 'react';
import { signalTypes, type BankThresholds } from '@takedown/core';
import { api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT } from './i18n.ts';
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
  const t = useT();
  const [from, setFrom] = useState(isoDay(Date.now() - 30 * 86_400_000));
  const [to, setTo] = useState(isoDay(Date.now() + 86_400_000));
  const [report, setReport] = useState<ComplianceReport>();
  const [times, setTimes] = useState<RemovalTimes['removals']>([]);
  const [banks, setBanks] = useState<Bank[]>();
  const [error, setError] = useState<{ error: unknown }>();
  const load = () => {
    const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    return Promise.all([api<ComplianceReport>(`/v1/reports/compliance?${period}`), api<RemovalTimes>(`/v1/reports/removal-times?${period}`)]).then(
      ([r, t]) => { setReport(r); setTimes(t.removals); setError(undefined); },
      (e: unknown) => setError({ error: e }),
    );
  };
  // The most common deadline in the period (48 h in the US); the chart draws it as the line.
  const deadlineHours = times.length > 0 ? Math.round(times[0].deadlineHours) : 48;
  useEffect(() => {
    void load();
    // Load once for the default period; later periods load on "Show".
    api<{ banks: Bank[] }>('/v1/banks').then((r) => setBanks(r.banks), () => setBanks(undefined));
  }, []);

  const number = (n: number) => t.intl.formatNumber(Math.round(n * 10) / 10);
  const percent = (n: number | null | undefined) => (n === null || n === undefined ? '–' : t.intl.formatNumber(n / 100, { style: 'percent', maximumFractionDigits: 1 }));
  // Durations under an hour read better in minutes ("12 min" rather than "0.2 h").
  const hours = (n: number | null | undefined) =>
    n === null || n === undefined ? '–' : n < 1 ? t.text('report.minutes', { minutes: Math.round(n * 60) }) : t.text('report.hours', { hours: number(n) });
  return (
    <>
      <h1>{t.text('title.compliance')}</h1>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <Field id="report-from" label={t.text('report.from')}>{(aria) => <input {...aria} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field id="report-to" label={t.text('report.to')}>{(aria) => <input {...aria} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
        <button type="submit" className="button">{t.text('report.show')}</button>
      </form>
      {error && <p className="error-summary" role="alert">{apiErrorText(t, error.error)}</p>}
      {report && (
        <>
          <div className="stat-grid">
            <div className="stat"><strong>{report.requestsReceived}</strong>{t.text('report.requestsReceived')}</div>
            <div className="stat"><strong>{report.requestsValid}</strong>{t.text('report.valid')}</div>
            <div className="stat"><strong>{report.itemsRemoved}</strong>{t.text('report.itemsRemoved')}</div>
            <div className="stat"><strong>{percent(report.removedWithinDeadlinePercent)}</strong>{t.text('report.inTime', { due: report.itemsDue })}</div>
            <div className="stat"><strong>{hours(report.medianTimeToRemoval?.hours)}</strong>{t.text('report.median')}</div>
            <div className="stat"><strong>{hours(report.p95TimeToRemoval?.hours)}</strong>{t.text('report.p95')}</div>
            <div className="stat"><strong>{report.itemsOpen}</strong>{t.text('report.open')}</div>
            <div className="stat"><strong>{report.itemsDeclined}</strong>{t.text('report.declined')}</div>
          </div>
          <h2>{t.text('report.timeToRemoval')}</h2>
          <RemovalChart hours={times.map((t) => t.hoursToRemoval)} deadlineHours={deadlineHours} />
          <h2>{t.text('report.breaches')}</h2>
          {report.breaches.length === 0 ? <p>{t.text('report.noBreaches')}</p> : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t.text('report.breachesTable')}>
            <table>
              <thead><tr><th scope="col">{t.text('report.colItem')}</th><th scope="col">{t.text('report.colLate')}</th><th scope="col">{t.text('report.colWhy')}</th></tr></thead>
              <tbody>
                {report.breaches.map((b, i) => (
                  <tr key={b.id ?? i}><td className="mono">{b.id ? b.id.slice(0, 8) : ''}</td><td>{hours(b.overdueMs / 3_600_000)}</td><td>{b.explanation}</td></tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
          {banks && (
            <>
              <h2>{t.text('report.banks')}</h2>
              <p>{t.text('report.banksIntro')}</p>
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t.text('report.banksTable')}>
                <table>
                  <thead><tr><th scope="col">{t.text('report.colBank')}</th><th scope="col">{t.text('report.colHashes')}</th><th scope="col">{t.text('report.colThresholds')}</th></tr></thead>
                  <tbody>
                    {banks.map((b) => (
                      <tr key={b.name}>
                        <td>{b.name}{b.kind === 'imported' ? t.text('report.imported') : ''}{b.enabled ? '' : t.text('report.off')}</td>
                        <td>{b.hashes}</td>
                        <td>{thresholdLines(b).map((line) => <div key={line}>{line}</div>)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <h2>{t.text('report.auditLog')}</h2>
          <p>
            {t.rich('report.auditHead', {
              seq: report.auditHead.seq,
              head: `${report.auditHead.seq}:${report.auditHead.hash}`,
              code: (chunks) => <code className="mono">{chunks}</code>,
              cmd: (chunks) => <code>{chunks}</code>,
            })}
          </p>
        </>
      )}
    </>
  );
}

/** A histogram of removals by hours taken, with the legal deadline drawn as a line. */
export function RemovalChart({ hours, deadlineHours }: { hours: number[]; deadlineHours: number }) {
  const t = useT();
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
        <title id="chart-title">{t.text('chart.title')}</title>
        <desc id="chart-desc">{t.text('chart.desc', { count: hours.length, within: hours.length - late, hours: deadlineHours, late })}</desc>
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
        <text x={deadlineX + 4} y={pad.top} fontSize="12" fill="#b00020">{t.text('chart.limit', { hours: deadlineHours })}</text>
        <text x={(width + pad.left) / 2} y={height - 4} fontSize="12" textAnchor="middle">{t.text('chart.axis')}</text>
      </svg>
      <figcaption>{hours.length === 0 ? t.text('chart.none') : t.text('chart.caption', { within: hours.length - late, count: hours.length, hours: deadlineHours })}</figcaption>
    </figure>
  );
}
