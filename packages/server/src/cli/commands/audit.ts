import { parseArgs } from 'node:util';
import { formatAuditHead, parseAuditHead, verifyAuditChain, type AuditHead } from '../../services/audit-verify.ts';
import { withStore } from '../with-store.ts';
import type { CliCommand } from '../command.ts';

const help = `Usage: takedown audit verify [--expect-head SEQ:HASH] [--json]

Recomputes the audit log's hash chain from the first event. Exit code 0 when every row is intact; 2 and
the first altered or missing row otherwise. Reads the server's existing store, DATABASE_URL or the embedded
database in TAKEDOWN_DATA_DIR (./data; stop the server first), says which on stderr, and never creates one.

It prints the chain's head (its newest row, as SEQ:HASH). Deleting the newest rows leaves nothing wrong
inside the chain, so keep each head somewhere outside the database (a ticket, a signed email, a
transparency report); give it back with --expect-head and the check also fails if the log no longer
reaches that row with that hash.`;

export const auditVerifyCommand: CliCommand = {
  help,
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, 'expect-head': { type: 'string' } } });
    let recorded: AuditHead | undefined;
    if (values['expect-head'] !== undefined) {
      recorded = parseAuditHead(values['expect-head']);
      if (!recorded) {
        console.error('takedown audit verify: --expect-head takes SEQ:HASH as printed by an earlier verify, e.g. 1042:3f9a… (64 hex characters).');
        return 1;
      }
    }
    return withStore(async ({ database }) => {
      const report = await verifyAuditChain(database, recorded);
      if (values.json) console.log(JSON.stringify(report));
      else if (report.ok) {
        console.log(`Audit chain intact: ${report.rows} events verified${recorded ? `, and it still reaches the recorded head (row ${recorded.seq})` : ''}.`);
        if (report.head) console.log(`Head: ${formatAuditHead(report.head)} (keep it outside the database; give it back with --expect-head to detect deleted rows)`);
      } else console.error(`Audit chain broken after ${report.rows} intact events: ${report.problem!.message}`);
      return report.ok ? 0 : 2;
    });
  },
};
