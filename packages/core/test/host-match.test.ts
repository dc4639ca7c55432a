import { describe, expect, it } from 'vitest';
import { hostMatches, servingDeclaration } from '../src/index.ts';

describe('hostMatches', () => {
  it('matches an exact host only as itself', () => {
    expect(hostMatches('example.com', 'example.com')).toBe(true);
    expect(hostMatches('example.com', 'www.example.com')).toBe(false);
    expect(hostMatches('example.com', 'badexample.com')).toBe(false);
  });

  it('matches a wildcard below its domain at any depth, never the domain itself or a look-alike', () => {
    expect(hostMatches('*.cdn.example.com', 'a.cdn.example.com')).toBe(true);
    expect(hostMatches('*.cdn.example.com', 'a.b.cdn.example.com')).toBe(true);
    expect(hostMatches('*.cdn.example.com', 'cdn.example.com')).toBe(false);
    expect(hostMatches('*.cdn.example.com', 'evilcdn.example.com')).toBe(false);
    expect(hostMatches('*.cdn.example.com', 'a.cdn.example.com.evil.test')).toBe(false);
  });
});

describe('servingDeclaration', () => {
  const declarations = [
    { platformId: 'wide', host: '*.example.com' },
    { platformId: 'cdn', host: '*.cdn.example.com' },
    { platformId: 'www', host: 'www.example.com' },
    { platformId: 'apex', host: 'example.com' },
  ];
  const serving = (host: string) => servingDeclaration(declarations, host)?.platformId;

  it('picks the most specific declaration: exact over wildcard, longer wildcard over shorter', () => {
    expect(serving('example.com')).toBe('apex');
    expect(serving('www.example.com')).toBe('www');
    expect(serving('img.cdn.example.com')).toBe('cdn');
    expect(serving('cdn.example.com')).toBe('wide');
    expect(serving('blog.example.com')).toBe('wide');
  });

  it('names nobody for a host no platform declares', () => {
    expect(serving('example.org')).toBeUndefined();
    expect(servingDeclaration([], 'example.com')).toBeUndefined();
  });
});
