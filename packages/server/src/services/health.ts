import { sql } from 'kysely';
import type { OpenDatabase } from '../store/database.ts';

/** Whether the database answers a query (for load balancers and start scripts); throws when it does not. */
export async function checkDatabase(database: OpenDatabase): Promise<void> {
  await database.transaction((tx) => sql`select 1`.execute(tx));
}
