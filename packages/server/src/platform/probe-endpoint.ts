/**
 * Whether an endpoint answers at all: any HTTP answer (even 404 or 405) means the address, the network path and
 * TLS work. Sends a HEAD request with no event, no signature and no body, and follows no redirect.
 * @example
 * const probe = await probeEndpoint('https://platform.example/takedown/events', 5000); // { reachable: true, status: 405 }
 */
export async function probeEndpoint(url: string, timeoutMs: number): Promise<{ reachable: true; status: number } | { reachable: false; reason: string }> {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'takedown-doctor/1' } });
    await response.body?.cancel();
    return { reachable: true, status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === 'TimeoutError') return { reachable: false, reason: `no answer within ${timeoutMs} ms` };
    return { reachable: false, reason: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}
