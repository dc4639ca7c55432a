// Errors of opening a database, in a module without imports: the CLI entry point recognises them without
// loading the database drivers.

/** The embedded database is in use by another live process (e.g. the server while a CLI command starts). */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

/**
 * The database cannot be reached or opened: PostgreSQL refuses or does not answer, or the embedded database's
 * folder cannot be used. The message is one line naming the store and what to check.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}
