import { signalTypes, type AnySignalType } from '@takedown/core';
import { Type, type TOptional, type TUnsafe } from 'typebox';

/**
 * The signal fields (pdq, pdqQuality, pdqVariants, md5, sha256, vpdq, url, and any type registered later) as
 * route schemas: the one place the API turns the signal-type registry's JSON Schemas into TypeBox, used by
 * every route that takes hashes (requests, upload checks, the content index) and the answers that show them.
 * Call it when a plugin registers its routes, not at import, so a type registered before the app is built is
 * accepted too. The schemas check the shape; each type's `readFields` still judges and normalises the value.
 * @example Type.Object({ ...hashFields((type) => type.media !== 'url'), contentId: Type.String() })
 */
export function hashFields(only: (type: AnySignalType) => boolean = () => true): Record<string, TOptional<TUnsafe<unknown>>> {
  return Object.fromEntries(Object.entries(signalTypes.fieldSchemas(only)).map(([field, schema]) => [field, Type.Optional(Type.Unsafe<unknown>({ ...schema }))]));
}

/** The hash fields of a request's item: every type but `url` (the item has its own address). */
export const itemHashTypes = (type: AnySignalType): boolean => type.media !== 'url';
