import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, verifySignature, type Receiver } from '../receiver.ts';

const sign = (secret: string, t: number, body: string) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

describe('reference receiver', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ secret: 'whsec_test', takedownUrl: 'http://127.0.0.1:9', apiKey: 'unused' });
  });
  afterAll(() => receiver.close());

  const post = (body: string, signature?: string) =>
    fetch(receiver.url, { method: 'POST', body, headers: signature ? { 'takedown-signature': signature } : {} });

  it('accepts a correctly signed event once and answers duplicates without acting again', async () => {
    const body = JSON.stringify({ id: 'ev-1', type: 'check.review', createdAt: new Date().toISOString(), data: {} });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body, sign('whsec_test', now, body))).status).toBe(200);
    expect((await post(body, sign('whsec_test', now, body))).status).toBe(200);
    expect(receiver.events.map((e) => e.id)).toEqual(['ev-1']);
    expect(receiver.duplicates).toBe(1);
  });

  it('refuses unsigned, wrongly signed and replayed (older than 5 minutes) events', async () => {
    const body = JSON.stringify({ id: 'ev-2', type: 'check.review', createdAt: new Date().toISOString(), data: {} });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body)).status).toBe(401);
    expect((await post(body, sign('wrong', now, body))).status).toBe(401);
    expect((await post(body, sign('whsec_test', now - 301, body))).status).toBe(401);
    expect((await post(body.replace('ev-2', 'ev-3'), sign('whsec_test', now, body))).status).toBe(401);
    expect(receiver.refused.map((r) => r.reason)).toEqual(['missing signature', 'signature mismatch', 'replay: signature too old', 'signature mismatch']);
    expect(receiver.events.map((e) => e.id)).not.toContain('ev-2');
    expect(verifySignature(sign('k', 100, 'b'), 'k', 'b', 399).ok).toBe(true);
    expect(verifySignature(sign('k', 100, 'b'), 'k', 'b', 401).ok).toBe(false);
  });
});
