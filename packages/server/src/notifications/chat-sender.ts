import { checkOutboundUrl, type OutboundPolicy } from '../net/outbound-guard.ts';
import { postOnce } from '../net/outbound-post.ts';
import type { SendOutcome } from './send-outcome.ts';

/**
 * Posts a message to a chat's incoming webhook (Slack, Mattermost, Matrix hookshot and others accept
 * `{"text": …}`), through the outbound guard like every other call to a partner: the address is resolved now
 * and refused unless public (or allowed by the operator). A 4xx other than 408/429 means the webhook is gone or
 * refuses the message: permanent. Anything else is tried again later.
 */
export async function postToChat(url: string, text: string, options: { outbound: OutboundPolicy; timeoutMs: number }): Promise<SendOutcome> {
  const checked = await checkOutboundUrl(url, options.outbound);
  if (!checked.ok && checked.refusal === 'unresolved') return { kind: 'retry', reason: 'the chat webhook host name does not resolve' };
  if (!checked.ok) return { kind: 'rejected', reason: `refused: the chat webhook address cannot be used (${checked.refusal})` };
  const outcome = await postOnce(checked.destination, JSON.stringify({ text }), { 'content-type': 'application/json', 'user-agent': 'takedown-alerts/1' }, AbortSignal.timeout(options.timeoutMs));
  if (outcome.kind === 'failed') return { kind: 'retry', reason: outcome.failure === 'timeout' ? `no answer within ${options.timeoutMs} ms` : 'could not connect to the chat webhook' };
  const { status } = outcome;
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'rejected', reason: `the chat webhook answered HTTP ${status}` };
  return { kind: 'retry', reason: `the chat webhook answered HTTP ${status}` };
}
