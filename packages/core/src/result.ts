/**
 * Domain errors are values, never thrown strings: a stable `code` for programs and a `message` for people that
 * says what to do next. The server maps them to HTTP (`{ "error": { "code", "message" } }`).
 */
export interface DomainError {
  code: string;
  message: string;
}

/** The failure half of a domain result. */
export interface Failure<E = DomainError> {
  ok: false;
  error: E;
}

export function failure(code: string, message: string): Failure {
  return { ok: false, error: { code, message } };
}
