import { parseArgs } from 'node:util';
import { dsaReportCsv } from '@takedown/core';
import { dsaTransparencyReportFor } from '../../services/dsa-transparency-report.ts';
import { transparencyDatabaseExport } from '../../services/statement-of-reasons.ts';
import { withStore } from '../with-store.ts';
import { UsageError, type CliCommand } from '../command.ts';

/** The Transparency Database's `POST /api/v1/statements` takes between 1 and 100 statements. */
const STATEMENTS_PER_CALL = 100;

function parseDate(text: string, name: string, command: string): Date | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    console.error(`takedown ${command}: --${name} "${text}" is not a date like 2026-06-01 or 2026-06-01T00:00:00Z.`);
    return undefined;
  }
  return date;
}

/** The period from --from and --to, or undefined after saying what is wrong (exit 2). */
function period(values: { from?: string; to?: string }, command: string): { from: Date; to: Date } | undefined {
  if (!values.from || !values.to) throw new UsageError('--from and --to are required.');
  const from = parseDate(values.from, 'from', command);
  const to = parseDate(values.to, 'to', command);
  if (!from || !to) return undefined;
  if (to <= from) {
    console.error(`takedown ${command}: --to must be after --from.`);
    return undefined;
  }
  return { from, to };
}

export const dsaReportCommand: CliCommand = {
  help: `Usage: takedown report dsa --from 2026-01-01 --to 2027-01-01 [--jurisdiction EU|all] [--csv]

The DSA transparency report for [from, to) (Art. 15(1) and 24(1)), in the sections of the quantitative template
of Implementing Regulation (EU) 2024/2835: notices under Art. 16, own-initiative removals of known copies,
uploaders' complaints (Art. 20), suspensions of notifiers (Art. 23). Every row says whether takedown filled it,
does not hold the figure (the provider fills it in) or the row does not apply. Counts the cases recorded under
the EU jurisdiction unless --jurisdiction says another or all. JSON by default; --csv gives RFC 4180 CSV.
Demo cases are left out; nothing of a person is in it.`,
  async run(args) {
    const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, jurisdiction: { type: 'string', default: 'EU' }, csv: { type: 'boolean', default: false } } });
    const range = period(values, 'report dsa');
    if (!range) return 2;
    const jurisdiction = values.jurisdiction.trim().toUpperCase();
    return withStore(async ({ database }) => {
      const report = await dsaTransparencyReportFor(database, range.from, range.to, jurisdiction === 'ALL' ? 'all' : { jurisdiction });
      process.stdout.write(values.csv ? dsaReportCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
      return 0;
    });
  },
};

export const statementsCommand: CliCommand = {
  help: `Usage: takedown report statements --from 2026-06-01 --to 2026-07-01

The statements of reasons (DSA Art. 17) of every removal decided in [from, to), in the fields of the DSA
Transparency Database API (Art. 24(5)). Prints JSON Lines: each line is {"statements": [...]} with at most
${STATEMENTS_PER_CALL} statements, the body of one POST to https://transparency.dsa.ec.europa.eu/api/v1/statements.
puid is the item id. Nothing of a person is in it; demo cases are left out.`,
  async run(args) {
    const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } });
    const range = period(values, 'report statements');
    if (!range) return 2;
    return withStore(async ({ config, database }) => {
      const { statements } = await transparencyDatabaseExport(database, range.from, range.to, config.safeguards.appealDecisionHours);
      for (let start = 0; start < statements.length; start += STATEMENTS_PER_CALL) {
        process.stdout.write(`${JSON.stringify({ statements: statements.slice(start, start + STATEMENTS_PER_CALL) })}\n`);
      }
      console.error(`${statements.length} statement(s) in ${Math.ceil(statements.length / STATEMENTS_PER_CALL)} line(s).`);
      return 0;
    });
  },
};
