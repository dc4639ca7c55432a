import * as initial from './001-initial.ts';

/** Forward-only migrations, applied in this order. Add a file and one line here; never edit an applied one. */
export const migrations: { name: string; statements: string[] }[] = [initial];
