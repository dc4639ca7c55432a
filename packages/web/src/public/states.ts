/** Item and case states in words for the person who asked. Pure. */

const ITEM_STATES: Record<string, { label: string; explanation: string }> = {
  pending: { label: 'Waiting for review', explanation: 'A reviewer will look at this soon.' },
  in_review: { label: 'Being reviewed', explanation: 'A reviewer is looking at this now.' },
  confirmed: { label: 'Approved for removal', explanation: 'We agreed to take it down. It is being removed now.' },
  removed: { label: 'Taken down', explanation: 'It has been removed.' },
  declined: { label: 'Not removed', explanation: 'We did not remove this. The reason is below. You can ask again with more details.' },
  withdrawn: { label: 'Withdrawn', explanation: 'You withdrew this. We will not act on it.' },
};

const CASE_STATES: Record<string, string> = {
  received: 'Received',
  in_review: 'Being reviewed',
  resolved: 'Finished',
  withdrawn: 'Withdrawn',
  rejected: 'Not accepted',
};

export function itemStateWords(state: string): { label: string; explanation: string } {
  return ITEM_STATES[state] ?? { label: state.replace(/_/g, ' '), explanation: '' };
}

export function caseStateWords(state: string): string {
  return CASE_STATES[state] ?? state.replace(/_/g, ' ');
}

/** True while the item can still change (it can be withdrawn and its deadline matters). */
export function itemIsOpen(state: string): boolean {
  return state === 'pending' || state === 'in_review' || state === 'confirmed';
}
