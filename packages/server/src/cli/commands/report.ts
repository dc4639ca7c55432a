import { parseArgs } from 'node:util';
import { systemClock } from '@takedown/core';
import { formatAuditHead } from '../../services/audit-verify.ts';
import { complianceReport, type ComplianceReport } from '../../services/compliance.ts';
import { withStore } from '../with-store.ts';
import { UsageError, type CliCommand } from '../command.ts';

const help = `Usage: takedown report --from 2026-06-01 --to 2026-07-01 [--json]

The compliance report for items received in [from, to): requests received and valid, items removed within
the deadline (%), median and p95 time to removal, breaches with reasons. Dates are UTC midnight, or give a
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

function text(summary: ComplianceReport): string {
  const lines = [
    `Compliance report ${summary.from.toISOString()} – ${summary.to.toISOString()} (open items judged at ${summary.asOf.toISOString()})`,
    `  requests received:               ${summary.requestsReceived} (valid ${summary.requestsValid})`,
    `  items received:                  ${summary.itemsReceived} (valid ${summary.itemsValid})`,
    `  items due / removed in time:     ${summary.itemsDue} / ${summary.itemsRemovedWithinDeadline}` +
      ` (${summary.removedWithinDeadlinePercent === null ? 'n/a' : `${summary.removedWithinDeadlinePercent.toFixed(1)} %`})`,
    `  median / p95 time to removal:    ${hours(summary.medianTimeToRemoval)} / ${hours(summary.p95TimeToRemoval)}`,
    `  open, declined, withdrawn:       ${summary.itemsOpen}, ${summary.itemsDeclined}, ${summary.itemsWithdrawn}`,
    `  breaches:                        ${summary.breaches.length}`,
    ...summary.breaches.map((b) => `    ${b.id ?? '?'}  ${b.reason}: ${b.explanation} (${(b.overdueMs / 3_600_000).toFixed(1)} h over)`),
    `  audit log head:                  ${formatAuditHead(summary.auditHead)}`,
  ];
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
