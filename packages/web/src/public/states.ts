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

/**
 * The uploader's appeal against a removal, as the person depicted hears of it: that it exists and how it ended,
 * never who appealed.
 */
const APPEAL_WORDS: Record<string, string> = {
  open: 'The person who posted it has asked us to look at our decision again. A different reviewer will decide. It stays down while they do.',
  rejected: 'The person who posted it asked us to look again. A different reviewer checked, and it stays down.',
  upheld: 'The person who posted it asked us to look again. A different reviewer decided that it may go back up. If you think this is wrong, you can make a new request and tell us more.',
};

export function appealWords(state: string): string {
  return APPEAL_WORDS[state] ?? '';
}
