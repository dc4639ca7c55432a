import { parseAllowList } from '../../src/net/address-ranges.ts';
import type { OutboundPolicy } from '../../src/net/outbound-guard.ts';

/** The tests' own receivers live on loopback over plain HTTP: allowed as an operator would allow them. */
export const LOOPBACK_OUTBOUND: OutboundPolicy = { allowedHosts: parseAllowList(['127.0.0.1']).allowList, allowHttp: true };
