import { checkNotifierSafeguards, DAY_MS, DEFAULT_APPEAL_DECISION_HOURS, DEFAULT_NOTIFIER_SAFEGUARDS, type NotifierSafeguards } from '@takedown/core';
import type { SettingsReader } from './settings-reader.ts';

/** Uploaders' appeals (DSA Art. 20) and notifier safeguards (DSA Art. 23). Defaults: decisions/017. */
export interface SafeguardsConfig {
  /** Time to decide an uploader's appeal (TAKEDOWN_APPEAL_DECISION_HOURS, default 168: 7 days). */
  appealDecisionHours: number;
  /** Warning and suspension of notifiers who keep sending manifestly unfounded notices (TAKEDOWN_NOTIFIER_*). */
  notifiers: NotifierSafeguards;
}

export const DEFAULT_SAFEGUARDS_CONFIG: SafeguardsConfig = { appealDecisionHours: DEFAULT_APPEAL_DECISION_HOURS, notifiers: { ...DEFAULT_NOTIFIER_SAFEGUARDS } };

export function readSafeguardsConfig(read: SettingsReader): SafeguardsConfig {
  const d = DEFAULT_SAFEGUARDS_CONFIG;
  const notifiers: NotifierSafeguards = {
    warnAfter: read.wholeNumber('TAKEDOWN_NOTIFIER_WARN_AFTER', d.notifiers.warnAfter, { min: 1, unit: 'unfounded notices' }),
    suspendAfter: read.wholeNumber('TAKEDOWN_NOTIFIER_SUSPEND_AFTER', d.notifiers.suspendAfter, { min: 2, unit: 'unfounded notices' }),
    suspensionMs: read.wholeNumber('TAKEDOWN_NOTIFIER_SUSPENSION_DAYS', d.notifiers.suspensionMs / DAY_MS, { min: 1, max: 3650, unit: 'days' }) * DAY_MS,
    windowMs: read.wholeNumber('TAKEDOWN_NOTIFIER_WINDOW_DAYS', d.notifiers.windowMs / DAY_MS, { min: 1, max: 3650, unit: 'days' }) * DAY_MS,
  };
  const checked = checkNotifierSafeguards(notifiers);
  if (!checked.ok) read.problem('TAKEDOWN_NOTIFIER_SUSPEND_AFTER', `TAKEDOWN_NOTIFIER_SUSPEND_AFTER must be more than TAKEDOWN_NOTIFIER_WARN_AFTER: ${checked.error.message}`);
  return {
    appealDecisionHours: read.wholeNumber('TAKEDOWN_APPEAL_DECISION_HOURS', d.appealDecisionHours, { min: 1, max: 24 * 365, unit: 'hours' }),
    notifiers,
  };
}
