import { Type, type TStringOptions } from 'typebox';

/**
 * A string without control characters (NUL, line breaks, escape…): for names, ids and parameters that reach
 * SQL or the logs. PostgreSQL cannot store NUL in text, so letting one through would be a 500, not a 400.
 */
export function PlainText(options: TStringOptions = {}) {
  return Type.String({ ...options, pattern: '^[^\\u0000-\\u001F\\u007F]*$', 'x-expected': 'text without control characters (such as NUL or line breaks)' });
}

/** Free text that may run over several lines (a reviewer's note): anything but NUL, which PostgreSQL refuses. */
export function FreeText(options: TStringOptions = {}) {
  return Type.String({ ...options, pattern: '^[^\\u0000]*$', 'x-expected': 'text without NUL characters' });
}
