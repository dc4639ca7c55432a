import type { FieldError } from './request.ts';

/**
 * Reads untrusted JSON one field at a time, collecting every problem rather than stopping at the first, so a
 * person filling in a form learns everything to fix in one go. Field paths use dots: `items.0.hashes.pdq`.
 */
export class FieldReader {
  readonly errors: FieldError[] = [];

  add(field: string, code: string, message: string): void {
    this.errors.push({ field, code, message });
  }

  /** The value as a plain object, or undefined (with an error) when it is missing or not an object. */
  object(value: unknown, field: string, what: string, required = true): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(field, 'required', `Please fill in ${what}.`);
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.add(field, 'wrong_type', `${capitalise(what)} should be a group of fields (a JSON object).`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** Reports each key that is not in `allowed`, by its full path. */
  onlyKnownFields(object: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        this.add(
          join(prefix, key),
          'unknown_field',
          `We don't recognise the field "${key}". Please remove it (allowed here: ${allowed.join(', ')}).`,
        );
      }
    }
  }

  /**
   * A trimmed string of at most `maxLength` characters. Missing and blank are the same (forms send "");
   * a required blank string is reported as missing.
   */
  text(value: unknown, field: string, what: string, maxLength: number, required: boolean): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(field, 'required', `Please fill in ${what}.`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(field, 'wrong_type', `${capitalise(what)} should be text.`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (required) this.add(field, 'required', `Please fill in ${what}.`);
      return undefined;
    }
    if (trimmed.length > maxLength) {
      this.add(field, 'too_long', `${capitalise(what)} can be at most ${maxLength} characters; please shorten it.`);
      return undefined;
    }
    return trimmed;
  }

  boolean(value: unknown, field: string, what: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.add(field, 'wrong_type', `${capitalise(what)} should be true or false.`);
      return undefined;
    }
    return value;
  }

  /** One of a fixed set of strings. */
  choice<T extends string>(value: unknown, field: string, what: string, options: readonly T[], required: boolean): T | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.add(field, 'required', `Please choose ${what}: ${options.join(' or ')}.`);
      return undefined;
    }
    if (typeof value !== 'string' || !options.includes(value as T)) {
      this.add(field, 'invalid_choice', `${capitalise(what)} should be one of: ${options.join(', ')}.`);
      return undefined;
    }
    return value as T;
  }
}

export function join(prefix: string, key: string | number): string {
  return prefix === '' ? String(key) : `${prefix}.${key}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
