/**
 * JSON with one spelling per value: object keys sorted by UTF-16 code unit, no whitespace, Dates as ISO 8601
 * strings, undefined object fields left out. The audit hash chain hashes these bytes, so the same event
 * must give the same string on every machine and in every release.
 *
 * Values JSON cannot carry faithfully (NaN, Infinity, bigint, functions, symbols, cycles, undefined in an
 * array, Maps, Sets, typed arrays and other class instances) throw a TypeError rather than being changed silently, because a silently changed value would make
 * a chain verify against something other than what was recorded.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), '$');
}

function write(value: unknown, ancestors: Set<object>, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot represent.`);
      return JSON.stringify(value); // -0 becomes 0, as in JSON.stringify
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot represent.`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`canonicalJson: ${path} is an invalid Date.`);
    return JSON.stringify(value.toISOString());
  }
  const object = value as object;
  const prototype: unknown = Object.getPrototypeOf(object);
  if (!Array.isArray(object) && prototype !== Object.prototype && prototype !== null) {
    // Map, Set, typed arrays, class instances: JSON.stringify would drop or reshape their contents.
    const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TypeError(`canonicalJson: ${path} is a ${kind}; convert it to a plain object, array or string first.`);
  }
  if (ancestors.has(object)) throw new TypeError(`canonicalJson: ${path} refers back to itself.`);
  ancestors.add(object);
  let text: string;
  if (Array.isArray(object)) {
    text = `[${object
      .map((element: unknown, i) => {
        if (element === undefined) throw new TypeError(`canonicalJson: ${path}[${i}] is undefined.`);
        return write(element, ancestors, `${path}[${i}]`);
      })
      .join(',')}]`;
  } else {
    const record = object as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort(); // default sort compares UTF-16 code units: locale-independent
    text = `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key], ancestors, `${path}.${key}`)}`).join(',')}}`;
  }
  ancestors.delete(object);
  return text;
}
