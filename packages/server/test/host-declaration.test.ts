import { describe, expect, it } from 'vitest';
import { hostOfUrl, readHostDeclaration } from '../src/platform/host-declaration.ts';

describe('readHostDeclaration', () => {
  it('lower-cases, applies IDNA and drops a trailing dot', () => {
    expect(readHostDeclaration(' Example.COM ')).toEqual({ ok: true, host: 'example.com' });
    expect(readHostDeclaration('bücher.example.')).toEqual({ ok: true, host: 'xn--bcher-kva.example' });
    expect(readHostDeclaration('*.CDN.example.com')).toEqual({ ok: true, host: '*.cdn.example.com' });
  });

  it('refuses addresses, ports, paths, schemes, stray wildcards and names that would claim everyone\'s hosts', () => {
    for (const [raw, message] of [
      ['https://example.com', /without scheme/],
      ['example.com/p', /without scheme/],
      ['example.com:443', /without scheme/],
      ['[::1]', /without scheme/],
      ['192.0.2.7', /not IP addresses/],
      ['0x7f.1', /not IP addresses/],
      ['a.*.example.com', /wildcard stands alone/],
      ['*.com', /whole top-level domain/],
      ['localhost', /full host name/],
      ['-bad-.example', /letters, digits and hyphens/],
      ['', /Declare a host name/],
    ] as const) {
      const read = readHostDeclaration(raw);
      expect(read.ok, raw).toBe(false);
      if (!read.ok) expect(read.message, raw).toMatch(message);
    }
  });
});

describe('hostOfUrl', () => {
  it('gives the host as declarations are matched against it', () => {
    expect(hostOfUrl('https://Img.Bücher.example./p?q=1')).toBe('img.xn--bcher-kva.example');
    expect(hostOfUrl('not a url')).toBeUndefined();
  });
});
