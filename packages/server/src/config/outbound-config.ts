import { EMPTY_ALLOW_LIST, parseAllowList } from '../net/address-ranges.ts';
import type { OutboundPolicy } from '../net/outbound-guard.ts';
import type { SettingsReader } from './settings-reader.ts';

/** By default the server connects to public HTTPS addresses only. */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowedHosts: EMPTY_ALLOW_LIST, allowHttp: false };

/** Where the server may connect for partners (TAKEDOWN_OUTBOUND_ALLOWED_HOSTS, TAKEDOWN_OUTBOUND_ALLOW_HTTP). */
export function readOutboundPolicy(read: SettingsReader): OutboundPolicy {
  const raw = read.text('TAKEDOWN_OUTBOUND_ALLOWED_HOSTS');
  let allowedHosts = DEFAULT_OUTBOUND_POLICY.allowedHosts;
  if (raw !== undefined) {
    const parsed = parseAllowList(raw.split(','));
    if (parsed.bad.length > 0) {
      read.problem(
        'TAKEDOWN_OUTBOUND_ALLOWED_HOSTS',
        `TAKEDOWN_OUTBOUND_ALLOWED_HOSTS must be a comma-separated list of host names, addresses or CIDR ranges (e.g. hooks.internal.example,10.20.0.0/16); "${parsed.bad.join('", "')}" is none of these.`,
      );
    } else {
      allowedHosts = parsed.allowList;
    }
  }
  return { allowedHosts, allowHttp: read.flag('TAKEDOWN_OUTBOUND_ALLOW_HTTP', DEFAULT_OUTBOUND_POLICY.allowHttp) };
}
