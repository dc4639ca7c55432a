import type { Clock } from '@takedown/core';
import type { OperationsFigures } from '../observability/operations-figures.ts';
import type { OpenDatabase } from '../store/database.ts';
import { readOperationsFigures } from '../store/operations-figures.ts';

/** The database's figures for a metrics scrape, read in one transaction (one consistent snapshot). */
export async function gatherOperationsFigures(database: OpenDatabase, clock: Clock): Promise<OperationsFigures> {
  const now = clock.now();
  return database.transaction((tx) => readOperationsFigures(tx, now));
}
