import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../../audit/verify.ts';
import { ConfigError, openStoreFromEnvironment } from '../../config/open-store.ts';
import type { CliCommand } from '../command.ts';

const help = `Usage: takedown audit verify [--json]

Recomputes the audit log's hash chain from the first event. Exit code 0 when every row is intact; 2 and
the first altered or missing row otherwise. Uses DATABASE_URL or the embedded database in ./data (stop the
server first when embedded).`;

export const auditVerifyCommand: CliCommand = {
  help,
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    let store;
    try {
      store = await openStoreFromEnvironment();
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`takedown audit verify: ${error.message}`);
        return 2;
      }
      throw error;
    }
    try {
      const report = await verifyAuditChain(store.database);
      if (values.json) console.log(JSON.stringify(report));
      else if (report.ok) console.log(`Audit chain intact: ${report.rows} events verified.`);
      else console.error(`Audit chain broken after ${report.rows} intact events: ${report.problem!.message}`);
      return report.ok ? 0 : 2;
    } finally {
      await store.database.close();
    }
  },
};
