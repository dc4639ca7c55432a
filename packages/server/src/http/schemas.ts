import { Type, type TSchema } from '@sinclair/typebox';

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
    }),
  },
  { $id: 'Error' },
);

export const errorRef = Type.Ref('Error');

/** Responses common to routes: the error shape under each status given. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorRef]));
}

export const Hashes = Type.Object(
  {
    pdq: Type.Optional(Type.String({ description: 'PDQ hash, 64 hex characters.' })),
    pdqQuality: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    md5: Type.Optional(Type.String({ description: '32 hex characters.' })),
    sha256: Type.Optional(Type.String({ description: '64 hex characters.' })),
    vpdq: Type.Optional(
      Type.Array(
        Type.Object({ index: Type.Integer(), timestamp: Type.Number(), hash: Type.String(), quality: Type.Integer() }, { additionalProperties: false }),
        { description: "A video's vPDQ: one PDQ hash per sampled frame (1 per second), made on the device; at most 14 400 frames." },
      ),
    ),
  },
  { additionalProperties: false },
);

export const DateTime = Type.String({ format: 'date-time' });
export const Uuid = Type.String({ format: 'uuid' });

/** One audit event as staff see it (an item's history, the audit log). */
export const AuditEventSchema = Type.Object({
  seq: Type.Integer(),
  at: DateTime,
  actor: Type.String(),
  action: Type.String(),
  caseId: Type.Union([Uuid, Type.Null()]),
  itemId: Type.Union([Uuid, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
