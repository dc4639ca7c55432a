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

/**
 * Characters that change how text shows without showing themselves: control characters (C0, DEL, C1),
 * bidirectional overrides and marks (they can make a name read backwards in the review console), and
 * invisible ones (zero-width space, word joiner, byte-order mark, soft hyphen, tag characters).
 */
const HIDDEN = '\\u0000-\\u001F\\u007F-\\u009F\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\uFEFF\\uFFF9-\\uFFFB\\u{E0000}-\\u{E007F}';

/**
 * A person's name or contact detail as it will be shown to reviewers and written into letters: none of the
 * hidden characters above. The zero-width joiner and non-joiner are allowed between two letters, where Persian,
 * Indic and other scripts need them to spell a name; anywhere else they only hide text. (Ajv compiles
 * patterns with the `u` flag, which `\p{…}` and `\u{…}` need.)
 */
export function VisibleText(options: TStringOptions = {}) {
  return Type.String({
    ...options,
    pattern: `^(?:[^${HIDDEN}]|(?<=[\\p{L}\\p{M}])[\\u200C\\u200D](?=[\\p{L}\\p{M}]))*$`,
    'x-expected': 'visible text only, without control, direction-changing or invisible characters (they can be pasted by mistake; type the text again)',
  });
}
