/** One line of `takedown doctor`: what was checked, whether it is fine, and if not what to do. */
export interface Finding {
  check: string;
  ok: boolean;
  /** What was found; for a failure, what to fix and how. */
  message: string;
}

export const ok = (check: string, message: string): Finding => ({ check, ok: true, message });
export const fail = (check: string, message: string): Finding => ({ check, ok: false, message });

export function formatFinding(finding: Finding): string {
  return `${finding.ok ? 'ok  ' : 'FAIL'}  ${finding.check}: ${finding.message}`;
}
