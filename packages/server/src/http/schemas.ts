import { Type, type TSchema } from 'typebox';
import { hashFields } from './schemas/hash-fields.ts';

/** Shared pieces of the OpenAPI document. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. invalid_request.' }),
      message: Type.String({ description: 'What went wrong and how to fix it, in plain language.' }),
      field: Type.Optional(Type.String({ description: 'The first field at fault, as a dotted path (items.0.url).' })),
      fields: Type.Optional(
        Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }), { description: 'Every problem, by field.' }),
      ),
      missing: Type.Optional(
        Type.Array(Type.Object({ element: Type.String(), clause: Type.String(), description: Type.String() }), {
          description: 'For a removal request: the elements of TAKE IT DOWN Act §3(a)(1)(B) still missing or unusable, in the law’s order.',
        }),
      ),
      retryAt: Type.Optional(Type.String({ format: 'date-time', description: 'When to try again (too_many_attempts, or a wrong PIN that already brings a wait).' })),
      nextWaitSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'A wrong PIN: the wait one more wrong PIN would bring, in seconds.' })),
      triesBeforeWait: Type.Optional(
        Type.Integer({ minimum: 1, description: 'A wrong PIN: how many more wrong PINs may be tried before one brings a wait, that one included (1: the next wrong PIN starts a wait).' }),
      ),
      waitAfterTriesSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'A wrong PIN: the wait the last of those tries brings, in seconds.' })),
    }),
  },
  { $id: 'Error' },
);

export const errorRef = Type.Ref('Error');

/** Responses common to routes: the error shape under each status given. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorRef]));
}

/**
 * An item's hashes, as answers show them: the registered signal types' fields. Open to more fields, so the
 * fields of a type registered after this module loaded are still written out.
 */
export const Hashes = Type.Object(hashFields(), { additionalProperties: true, description: 'Hashes by field, as each signal type writes them (pdq, pdqQuality, md5, sha256, vpdq, …).' });

export const DateTime = Type.String({ format: 'date-time', 'x-expected': 'a date and time with a zone, such as 2026-06-01T12:00:00Z' });
/** A point in time in an answer: the store's Date, written as an ISO date-time by the serialiser. */
export const Timestamp = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const Uuid = Type.String({ format: 'uuid', 'x-expected': 'an id such as 0b6f7c1e-3c2a-4d5e-9f10-2a3b4c5d6e7f' });

/** One audit event as staff see it (an item's history, the audit log). */
export const AuditEventSchema = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  actor: Type.String(),
  action: Type.String(),
  caseId: Type.Union([Uuid, Type.Null()]),
  itemId: Type.Union([Uuid, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
