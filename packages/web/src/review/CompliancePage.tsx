/**
 * The compliance report (§3(a)(3)(A): removal within 48 hours), one section per clock — a jurisdiction and its
 * deadline length, so a 24-hour item is never averaged with a 48-hour one: requests and items acted on in time,
 * median and p95 times, a histogram of time-to-removal with the deadline line, and the breaches with their
 * reasons. Staff who may export also get the DSA files (statements of reasons, transparency report).
 */
import { useEffect, useState } from 'react';
import { signalTypes, type BankThresholds } from '@takedown/core';
import { api } from '../shared/api.ts';
import { apiErrorText } from '../shared/api-error-text.ts';
import { Field } from '../shared/Field.tsx';
import { useT, type ReviewId } from './i18n.ts';
import { binDurations } from './chart.ts';

type Duration = { ms: number; hours: number } | null;

/** The breach reasons core names (BreachReason); the console words them itself, in the reader's language. */
const BREACH_REASONS = ['removed_late', 'not_removed', 'no_decision'];

/** One clock of GET /v1/reports/compliance. */
export interface ClockCompliance {
  jurisdiction: string;
  clockHours: number;
  requestsReceived: number;
  requestsValid: number;
  requestsDue: number;
  requestsActionedWithinDeadline: number;
  requestsActionedWithinDeadlinePercent: number | null;
  medianTimeToAction: Duration;
  p95TimeToAction: Duration;
  itemsReceived: number;
  itemsDue: number;
  itemsRemoved: number;
  itemsRemovedWithinDeadline: number;
  removedWithinDeadlinePercent: number | null;
  itemsOpen: number;
  itemsDeclined: number;
  itemsWithdrawn: number;
  medianTimeToRemoval: Duration;
  p95TimeToRemoval: Duration;
  breaches: { id?: string; caseId?: string; reason: string; explanation: string; overdueMs: number }[];
}

/** GET /v1/reports/compliance */
export interface ComplianceReport {
  from: string;
  to: string;
  requestsReceived: number;
  itemsReceived: number;
  clocks: ClockCompliance[];
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
  removals: { hoursToRemoval: number; deadlineHours: number; jurisdiction: string }[];
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function CompliancePage({ exports = false }: { exports?: boolean }) {
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
          <p>{t.text('report.totals', { requests: report.requestsReceived, items: report.itemsReceived })}</p>
          {report.clocks.length === 0 && <p>{t.text('report.nothing')}</p>}
          {report.clocks.map((clock) => {
            const key = `${clock.jurisdiction}-${clock.clockHours}`;
            // Only this clock's removals: the chart's line is this clock's deadline.
            const clockTimes = times.filter((r) => r.jurisdiction === clock.jurisdiction && Math.round(r.deadlineHours) === clock.clockHours).map((r) => r.hoursToRemoval);
            return (
              <section key={key} aria-labelledby={`clock-${key}`} className="clock">
                <h2 id={`clock-${key}`}>{t.text('report.clock', { jurisdiction: clock.jurisdiction, hours: clock.clockHours })}</h2>
                <div className="stat-grid">
                  <div className="stat"><strong>{clock.requestsReceived}</strong>{t.text('report.requestsReceived')}</div>
                  <div className="stat"><strong>{clock.requestsValid}</strong>{t.text('report.valid')}</div>
                  <div className="stat"><strong>{percent(clock.requestsActionedWithinDeadlinePercent)}</strong>{t.text('report.requestsInTime', { due: clock.requestsDue, hours: clock.clockHours })}</div>
                  <div className="stat"><strong>{hours(clock.medianTimeToAction?.hours)}</strong>{t.text('report.medianAction')}</div>
                  <div className="stat"><strong>{hours(clock.p95TimeToAction?.hours)}</strong>{t.text('report.p95Action')}</div>
                  <div className="stat"><strong>{percent(clock.removedWithinDeadlinePercent)}</strong>{t.text('report.inTime', { due: clock.itemsDue })}</div>
                  <div className="stat"><strong>{hours(clock.medianTimeToRemoval?.hours)}</strong>{t.text('report.median')}</div>
                  <div className="stat"><strong>{hours(clock.p95TimeToRemoval?.hours)}</strong>{t.text('report.p95')}</div>
                  <div className="stat"><strong>{clock.itemsOpen}</strong>{t.text('report.open')}</div>
                  <div className="stat"><strong>{clock.itemsDeclined}</strong>{t.text('report.declined')}</div>
                </div>
                <h3>{t.text('report.timeToRemoval')}</h3>
                <RemovalChart hours={clockTimes} deadlineHours={clock.clockHours} idPrefix={key} />
                <h3>{t.text('report.breaches')}</h3>
                {clock.breaches.length === 0 ? <p>{t.text('report.noBreaches')}</p> : (
                  <div className="table-wrap" tabIndex={0} role="region" aria-label={t.text('report.breachesTableOf', { jurisdiction: clock.jurisdiction, hours: clock.clockHours })}>
                  <table>
                    <thead><tr><th scope="col">{t.text('report.colItem')}</th><th scope="col">{t.text('report.colLate')}</th><th scope="col">{t.text('report.colWhy')}</th></tr></thead>
                    <tbody>
                      {clock.breaches.map((b, i) => (
                        <tr key={b.id ?? i}><td className="mono">{b.id ? b.id.slice(0, 8) : ''}</td><td>{hours(b.overdueMs / 3_600_000)}</td><td>{BREACH_REASONS.includes(b.reason) ? t.text(`breach.${b.reason}` as ReviewId) : b.explanation}</td></tr>
                      ))}
                    </tbody>
                  </table>
                  </div>
                )}
              </section>
            );
          })}
          {exports && (
            <>
              <h2>{t.text('report.dsaExports')}</h2>
              <p>{t.text('report.dsaIntro')}</p>
              <ul>
                <li><a href={`/v1/reports/dsa/transparency.csv?from=${encodeURIComponent(report.from.slice(0, 10))}&to=${encodeURIComponent(report.to.slice(0, 10))}`} download>{t.text('report.dsaTransparency')}</a></li>
                <li><a href={`/v1/reports/dsa/statements?from=${encodeURIComponent(report.from.slice(0, 10))}&to=${encodeURIComponent(report.to.slice(0, 10))}`} download="statements-of-reasons.json">{t.text('report.dsaStatements')}</a></li>
              </ul>
            </>
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
export function RemovalChart({ hours, deadlineHours, idPrefix = 'chart' }: { hours: number[]; deadlineHours: number; idPrefix?: string }) {
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
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${idPrefix}-title ${idPrefix}-desc`}>
        <title id={`${idPrefix}-title`}>{t.text('chart.title')}</title>
        <desc id={`${idPrefix}-desc`}>{t.text('chart.desc', { count: hours.length, within: hours.length - late, hours: deadlineHours, late })}</desc>
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
