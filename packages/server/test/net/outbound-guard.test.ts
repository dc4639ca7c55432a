import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { classifyAddress, EMPTY_ALLOW_LIST, parseAllowList } from '../../src/net/address-ranges.ts';
import { checkOutboundUrl, pinnedLookup, type OutboundPolicy, type Resolver } from '../../src/net/outbound-guard.ts';

const strict: OutboundPolicy = { allowedHosts: EMPTY_ALLOW_LIST, allowHttp: false };
/** A resolver answering from a table: what a hostile DNS zone could return for a partner's name. */
const zone = (records: Record<string, string[]>): Resolver => async (host) => {
  const addresses = records[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'], ['::1', 'loopback'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique-local'], ['fc00::1', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'], ['224.0.0.1', 'multicast'], ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'], ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'NAT64'], ['2002:7f00:1::', '6to4'], ['2001::1', 'Teredo'],
    ['192.0.2.1', 'reserved'], ['240.0.0.1', 'reserved'],
  ])('refuses %s (%s)', (address, words) => {
    const verdict = classifyAddress(address);
    expect(verdict.permitted).toBe(false);
    expect(verdict.permitted === false && verdict.range).toContain(words);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('lets %s through (global unicast)', (address) => {
    expect(classifyAddress(address)).toEqual({ permitted: true });
  });
});

describe('outbound guard', () => {
  it('refuses what is not https, carries credentials or is no URL, each with its reason', async () => {
    expect(await checkOutboundUrl('http://hooks.example/', strict, zone({}))).toMatchObject({ ok: false, refusal: 'scheme', message: expect.stringContaining('TAKEDOWN_OUTBOUND_ALLOW_HTTP') });
    expect(await checkOutboundUrl('ftp://hooks.example/', { ...strict, allowHttp: true }, zone({}))).toMatchObject({ ok: false, refusal: 'scheme' });
    expect(await checkOutboundUrl('https://user:pw@hooks.example/', strict, zone({}))).toMatchObject({ ok: false, refusal: 'credentials_in_url' });
    expect(await checkOutboundUrl('not a url', strict, zone({}))).toMatchObject({ ok: false, refusal: 'invalid_url' });
    expect(await checkOutboundUrl('https://nowhere.example/', strict, zone({}))).toMatchObject({ ok: false, refusal: 'unresolved' });
  });

  it('refuses internal addresses written in the URL, in any notation the URL parser accepts', async () => {
    for (const url of ['https://127.0.0.1/', 'https://0x7f.1/', 'https://2130706433/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://169.254.169.254/latest/meta-data', 'https://[fd00:ec2::254]/', 'https://10.0.0.5:8443/']) {
      const checked = await checkOutboundUrl(url, strict, zone({}));
      expect(checked, url).toMatchObject({ ok: false, refusal: 'forbidden_address' });
    }
  });

  it('resolves the name and refuses it when any of its addresses is internal (real resolver: localhost)', async () => {
    expect(await checkOutboundUrl('https://localhost:9/', strict)).toMatchObject({ ok: false, refusal: 'forbidden_address', message: expect.stringContaining('loopback') });
    const mixed = zone({ 'hooks.example': ['93.184.215.14', '10.0.0.7'], 'metadata.example': ['169.254.169.254'] });
    expect(await checkOutboundUrl('https://hooks.example/', strict, mixed)).toMatchObject({ ok: false, refusal: 'forbidden_address', message: expect.stringContaining('private') });
    expect(await checkOutboundUrl('https://metadata.example/', strict, mixed)).toMatchObject({ ok: false, message: expect.stringContaining('metadata') });
    expect(await checkOutboundUrl('https://public.example/x', strict, zone({ 'public.example': ['93.184.215.14'] }))).toMatchObject({ ok: true, destination: { address: '93.184.215.14', family: 4 } });
  });

  it('lets the operator allow internal hosts by name, address or range, and plain HTTP in development', async () => {
    const { allowList, bad } = parseAllowList(['hooks.internal.example', '10.20.0.0/16', '127.0.0.1', ' ']);
    expect(bad).toEqual([]);
    const policy: OutboundPolicy = { allowedHosts: allowList, allowHttp: true };
    const internal = zone({ 'hooks.internal.example': ['10.99.0.1'], 'svc.example': ['10.20.3.4'], 'other.example': ['10.21.0.1'] });
    expect(await checkOutboundUrl('https://hooks.internal.example/', policy, internal)).toMatchObject({ ok: true, destination: { address: '10.99.0.1' } });
    expect(await checkOutboundUrl('https://svc.example/', policy, internal)).toMatchObject({ ok: true });
    expect(await checkOutboundUrl('https://other.example/', policy, internal)).toMatchObject({ ok: false, refusal: 'forbidden_address' });
    expect(await checkOutboundUrl('http://127.0.0.1:8080/', policy, internal)).toMatchObject({ ok: true });
    expect(await checkOutboundUrl('http://127.0.0.2:8080/', policy, internal)).toMatchObject({ ok: false });
    expect(parseAllowList(['10.0.0.0/33', 'bad host', 'ok.example']).bad).toEqual(['10.0.0.0/33', 'bad host']);
  });

  it('is read from the environment once, and a bad entry is a configuration error naming it', () => {
    const config = loadConfig({ TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: 'hooks.internal.example, 10.0.0.0/8', TAKEDOWN_OUTBOUND_ALLOW_HTTP: '1' });
    expect(config.outbound.allowHttp).toBe(true);
    expect([...config.outbound.allowedHosts.hosts]).toEqual(['hooks.internal.example']);
    expect(loadConfig({}).outbound.allowHttp).toBe(false);
    expect(() => loadConfig({ TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: '10.0.0.0/40' })).toThrow(ConfigError);
    expect(() => loadConfig({ TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: '10.0.0.0/40' })).toThrow(/TAKEDOWN_OUTBOUND_ALLOWED_HOSTS.*"10.0.0.0\/40"/);
  });

  describe('pinning the connection to the checked address', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('reached'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('connects to the address the guard checked, never resolving the name again', async () => {
      // The name exists only in the zone the guard asked: a second resolution (the system's) would fail.
      const policy: OutboundPolicy = { allowedHosts: parseAllowList(['127.0.0.1']).allowList, allowHttp: true };
      const checked = await checkOutboundUrl(`http://pinned.invalid:${port}/`, policy, zone({ 'pinned.invalid': ['127.0.0.1'] }));
      if (!checked.ok) throw new Error(checked.message);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(checked.destination.url, { lookup: pinnedLookup(checked.destination), agent: false }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('reached');
    });
  });
});
