import { HOUR_MS } from './clock.ts';
import { FieldReader } from './field-reader.ts';
import { lookupJurisdiction, type JurisdictionConfig } from './jurisdiction.ts';
import type { FieldError, ItemInput } from './request.ts';
import type { RequestLimits } from './request-limits.ts';
import { readItems } from './validate-item.ts';

/**
 * A removal notice from a regulator, entered by staff. An eSafety Commissioner removal notice (Online Safety Act
 * 2021 (Cth) s. 77) requires removal "within 24 hours after the notice was given … or such longer period as the
 * Commissioner allows": the regulator sets the period, and it runs from when the notice was given. So the items'
 * clock runs from `receivedAt` to `dueAt`, not to the regime's usual deadline.
 */
export interface RegulatorNotice {
  regulator: string;
  /** The regulator's own reference for the notice. */
  reference: string;
  /** The jurisdiction the notice was made under (its profile names the regulator and the law). */
  jurisdiction: string;
  /** When the notice was given: the regulator's period runs from here (default: when staff entered it). */
  receivedAt: Date;
  /** The period the notice gives, in hours, when it gives one; otherwise the notice named a due time. */
  periodHours?: number;
  dueAt: Date;
  items: ItemInput[];
}

/** The longest period a notice may give, and how far back it may have been received: 30 days. */
export const MAX_NOTICE_PERIOD_HOURS = 30 * 24;
const FIELDS = ['regulator', 'reference', 'jurisdiction', 'receivedAt', 'periodHours', 'dueAt', 'items'] as const;

/**
 * Reads a regulator notice as staff typed it: regulator and reference, the period in hours *or* the due time
 * (exactly one), the items (addresses and/or hashes, as in a request). Every problem comes back by field.
 * @example readRegulatorNotice({ regulator: 'eSafety Commissioner', reference: 'RN-1', periodHours: 24, items: [{ url }] }, now, limits)
 */
export function readRegulatorNotice(
  body: unknown,
  now: Date,
  limits: RequestLimits,
  config?: JurisdictionConfig,
): { ok: true; notice: RegulatorNotice } | { ok: false; errors: FieldError[] } {
  const reader = new FieldReader();
  const object = reader.object(body, '', 'the notice');
  if (!object) return { ok: false, errors: reader.errors };
  reader.onlyKnownFields(object, FIELDS, '');
  const regulator = reader.text(object.regulator, 'regulator', 'the regulator', 200, true);
  const reference = reader.text(object.reference, 'reference', "the regulator's reference", 200, true);
  const code = reader.text(object.jurisdiction, 'jurisdiction', 'the jurisdiction', 16, false);
  const found = lookupJurisdiction(code, config);
  if (!found.ok) reader.errors.push(found.error);
  const receivedAt = readTime(reader, object.receivedAt, 'receivedAt', 'when the notice was received') ?? now;
  if (receivedAt.getTime() > now.getTime() + 60_000) reader.add('receivedAt', 'in_future', 'The notice cannot have been received in the future; check the date and time.');
  if (receivedAt.getTime() < now.getTime() - MAX_NOTICE_PERIOD_HOURS * HOUR_MS) reader.add('receivedAt', 'too_old', 'The notice was received more than 30 days ago; check the date.');
  const periodHours = readPeriod(reader, object.periodHours);
  const due = readTime(reader, object.dueAt, 'dueAt', 'the due time');
  if (given(object.periodHours) && given(object.dueAt)) {
    reader.add('dueAt', 'period_and_due', 'Give either the period in hours or the due time, not both.');
  } else if (!given(object.periodHours) && !given(object.dueAt)) {
    reader.add('periodHours', 'required', 'Please give the period the notice sets, in hours (such as 24), or its due time.');
  }
  if (due && due.getTime() <= receivedAt.getTime()) reader.add('dueAt', 'before_received', 'The due time must be after the notice was received.');
  if (due && due.getTime() > receivedAt.getTime() + MAX_NOTICE_PERIOD_HOURS * HOUR_MS) reader.add('dueAt', 'too_far', 'The due time can be at most 30 days after the notice was received.');
  const items = readItems(reader, object.items, 'items', limits);
  if (reader.errors.length > 0 || !regulator || !reference || !found.ok) return { ok: false, errors: reader.errors };
  const dueAt = periodHours !== undefined ? new Date(receivedAt.getTime() + periodHours * HOUR_MS) : due!;
  return {
    ok: true,
    notice: { regulator, reference, jurisdiction: found.rules.code, receivedAt, ...(periodHours !== undefined && { periodHours }), dueAt, items },
  };
}

/** Forms send "" for a field left empty: the same as not sending it. */
function given(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

function readPeriod(reader: FieldReader, value: unknown): number | undefined {
  if (!given(value)) return undefined;
  const hours = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > MAX_NOTICE_PERIOD_HOURS) {
    reader.add('periodHours', 'invalid_period', `The period is a whole number of hours from 1 to ${MAX_NOTICE_PERIOD_HOURS}, such as 24.`);
    return undefined;
  }
  return hours;
}

function readTime(reader: FieldReader, value: unknown, field: string, what: string): Date | undefined {
  if (!given(value)) return undefined;
  // An ISO time with its offset: a time without one would be read in the server's zone, not the notice's.
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim()) || Number.isNaN(Date.parse(value))) {
    reader.add(field, 'invalid_time', `Please give ${what} as a date and time with its time zone, such as 2026-12-07T09:30:00+11:00.`);
    return undefined;
  }
  return new Date(value.trim());
}
