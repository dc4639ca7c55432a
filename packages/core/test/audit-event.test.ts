import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, type AuditEvent, canonicalJson, isAuditEventType } from '../src/index.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same string whatever order the keys were written in', () => {
    expect(canonicalJson({ x: 1, y: 2, z: 3 })).toBe(canonicalJson({ z: 3, y: 2, x: 1 }));
  });

  it('writes dates as ISO 8601 and leaves out undefined fields', () => {
    const event: AuditEvent = {
      type: 'item.confirmed',
      actor: { kind: 'staff', id: 'u1' },
      subject: { kind: 'item', id: 'i1' },
      reason: undefined,
      at: new Date('2026-05-19T10:00:00Z'),
    };
    expect(canonicalJson(event)).toBe(
      '{"actor":{"id":"u1","kind":"staff"},"at":"2026-05-19T10:00:00.000Z","subject":{"id":"i1","kind":"item"},"type":"item.confirmed"}',
    );
  });

  it('sorts by code unit, not by locale, and escapes as JSON does', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: '"\n' })).toBe('{"B":2,"a":"\\"\\n","b":1,"é":3}');
  });

  it('writes scalars as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson([true, false, 'x'])).toBe('[true,false,"x"]');
  });

  it('refuses values JSON cannot carry faithfully, saying where', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/\$\.a is NaN/);
    expect(() => canonicalJson({ a: [1, undefined] })).toThrow(/\$\.a\[1\] is undefined/);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(new Date('nope'))).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow(/refers back to itself/);
  });

  it('refuses Maps, Sets, typed arrays and class instances instead of dropping their contents', () => {
    expect(() => canonicalJson({ m: new Map([['a', 1]]) })).toThrow(/\$\.m is a Map/);
    expect(() => canonicalJson(new Set([1]))).toThrow(TypeError);
    expect(() => canonicalJson({ b: new Uint8Array(2) })).toThrow(/Uint8Array/);
    expect(canonicalJson(Object.assign(Object.create(null) as object, { z: 1, a: 2 }))).toBe('{"a":2,"z":1}');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});

describe('audit event types', () => {
  it('include the events the law and the issue name', () => {
    for (const type of ['case.received', 'item.confirmed', 'item.declined', 'item.escalated', 'item.removed', 'case.withdrawn', 'staff.login', 'staff.login_failed', 'export.created', 'pii.deleted', 'media.unblurred']) {
      expect(isAuditEventType(type)).toBe(true);
    }
    expect(isAuditEventType('item.eaten')).toBe(false);
    expect(new Set(AUDIT_EVENT_TYPES).size).toBe(AUDIT_EVENT_TYPES.length);
  });
});
