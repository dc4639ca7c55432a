/**
 * The quick exit's keyboard trigger: Shift pressed three times within five seconds, outside any form field
 * (GOV.UK's "exit this page" pattern). Shift is how capitals are typed, so a press in a field, an open list or
 * an editable area never counts; any other key starts the count again. Pure: no DOM access beyond the event.
 */

/** Presses needed, and the time they must fall within. */
export const SHIFT_PRESSES = 3;
export const SHIFT_WINDOW_MS = 5_000;

/** What a key press means for the count: one more Shift, nothing (a held key repeating), or start again. */
export type ShiftKeyMeaning = 'press' | 'ignore' | 'reset';

/** The parts of a target the check reads (an Element in the page; plain data in tests). */
export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

const FIELD_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'OPTION']);
const LIST_ROLES = new Set(['combobox', 'listbox', 'option', 'textbox', 'searchbox', 'menu', 'menuitem']);

/** Whether a key press happened in a form field, an editable area or an open list. */
export function inFormField(target: KeyTarget | null | undefined): boolean {
  if (!target) return false;
  if (target.tagName && FIELD_TAGS.has(target.tagName.toUpperCase())) return true;
  if (target.isContentEditable) return true;
  const role = target.getAttribute?.('role');
  return role !== null && role !== undefined && LIST_ROLES.has(role);
}

export function shiftKeyMeaning(event: { key: string; repeat: boolean; target: KeyTarget | null }): ShiftKeyMeaning {
  if (event.key !== 'Shift') return 'reset';
  if (event.repeat) return 'ignore';
  return inFormField(event.target) ? 'reset' : 'press';
}

/** Counts Shift presses; `press` returns how many are still needed (0: leave now). */
export class ShiftCounter {
  #times: number[] = [];

  press(atMs: number): number {
    this.#times = [...this.#times.filter((t) => atMs - t < SHIFT_WINDOW_MS), atMs];
    const left = SHIFT_PRESSES - this.#times.length;
    if (left <= 0) this.#times = [];
    return Math.max(0, left);
  }

  reset(): void {
    this.#times = [];
  }
}
