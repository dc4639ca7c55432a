import { parseArgs } from 'node:util';
import { systemClock } from '@takedown/core';
import { formatAuditHead } from '../../services/audit-verify.ts';
import { complianceReport, type ComplianceReport } from '../../services/compliance.ts';
import { withStore } from '../with-store.ts';
import { UsageError, type CliCommand } from '../command.ts';

const help = `Usage: takedown report --from 2026-06-01 --to 2026-07-01 [--json]

The compliance report for items received in [from, to), one block per jurisdiction and clock (a 24-hour
clock is never mixed with a 48-hour one): requests and items acted on within the deadline (%), median and
p95 time to action and to removal, breaches with reasons. Dates are UTC midnight, or give a
date-time with a zone. Demo cases are left out. The report ends with the audit log's head after the report
was recorded: publish it with the report (see takedown audit verify --expect-head).`;

function parseDate(text: string, name: string): Date | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    console.error(`takedown report: --${name} "${text}" is not a date like 2026-06-01 or 2026-06-01T00:00:00Z.`);
    return undefined;
  }
  return date;
}

function hours(stats: { hours: number } | null): string {
  return stats ? `${stats.hours.toFixed(1)} h` : 'n/a';
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)} %`;
}

function text(report: ComplianceReport): string {
  const lines = [
    `Compliance report ${report.from.toISOString()} – ${report.to.toISOString()} (open items judged at ${report.asOf.toISOString()})`,
    `  requests received: ${report.requestsReceived}, items received: ${report.itemsReceived}`,
  ];
  if (report.clocks.length === 0) lines.push('  nothing was received in this period');
  // One block per clock: a 24-hour item is never averaged with a 48-hour one.
  for (const clock of report.clocks) {
    lines.push(
      ``,
      `${clock.jurisdiction}, ${clock.clockHours}-hour clock`,
      `  requests received:               ${clock.requestsReceived} (valid ${clock.requestsValid})`,
      `  requests due / acted on in time: ${clock.requestsDue} / ${clock.requestsActionedWithinDeadline} (${percent(clock.requestsActionedWithinDeadlinePercent)})`,
      `  median / p95 time to action:     ${hours(clock.medianTimeToAction)} / ${hours(clock.p95TimeToAction)}`,
      `  items received:                  ${clock.itemsReceived} (valid ${clock.itemsValid})`,
      `  items due / removed in time:     ${clock.itemsDue} / ${clock.itemsRemovedWithinDeadline} (${percent(clock.removedWithinDeadlinePercent)})`,
      `  median / p95 time to removal:    ${hours(clock.medianTimeToRemoval)} / ${hours(clock.p95TimeToRemoval)}`,
      `  open, declined, withdrawn:       ${clock.itemsOpen}, ${clock.itemsDeclined}, ${clock.itemsWithdrawn}`,
      `  breaches:                        ${clock.breaches.length}`,
      ...clock.breaches.map((b) => `    ${b.id ?? '?'}  ${b.reason}: ${b.explanation} (${(b.overdueMs / 3_600_000).toFixed(1)} h over)`),
    );
  }
  lines.push('', `audit log head: ${formatAuditHead(report.auditHead)}`);
  return lines.join('\n');
}

export const reportCommand: CliCommand = {
  help,
  async run(args) {
    const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (!values.from || !values.to) throw new UsageError('--from and --to are required.');
    const from = parseDate(values.from, 'from');
    const to = parseDate(values.to, 'to');
    if (!from || !to) return 2;
    if (to <= from) {
      console.error('takedown report: --to must be after --from.');
      return 2;
    }
    return withStore(async ({ database }) => {
      const summary = await complianceReport(database, systemClock, from, to, 'cli');
      console.log(values.json ? JSON.stringify(summary, null, 2) : text(summary));
      return 0;
    });
  },
};
