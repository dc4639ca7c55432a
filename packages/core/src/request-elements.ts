import type { FieldError } from './request.ts';

/**
 * The four elements a valid removal request must have under §3(a)(1)(B) of the TAKE IT DOWN Act. Only these
 * are demanded; anything else in a request (the jurisdiction, sharing a copy, the age question) is optional or
 * normalised, never a reason to refuse.
 */
export type LawElement = 'signature' | 'depiction' | 'good_faith' | 'contact';

export interface LawElementInfo {
  element: LawElement;
  /** The clause, as cited in the enacted text (Pub. L. 119-12, §3). */
  clause: string;
  /** What the element is, in plain words for the person making the request. */
  description: string;
}

export const LAW_ELEMENTS: readonly LawElementInfo[] = Object.freeze([
  { element: 'signature', clause: '§3(a)(1)(B)(i)', description: 'your signature: your full name typed, as the person shown or as someone acting for them' },
  { element: 'depiction', clause: '§3(a)(1)(B)(ii)', description: 'where the picture or video is: a link on the platform, or the picture itself (only its fingerprint is sent)' },
  { element: 'good_faith', clause: '§3(a)(1)(B)(iii)', description: 'a short statement that you believe in good faith it was shared without consent' },
  { element: 'contact', clause: '§3(a)(1)(B)(iv)', description: 'how we can reach you: an email address or a phone number' },
]);

/** The element a field of the request belongs to, or undefined for a field the law does not ask for. */
export function elementOfField(field: string): LawElement | undefined {
  const top = field.split('.')[0];
  switch (top) {
    case 'signature':
    case 'requester': // who signs: the person shown, or someone who says whom they act for
      return 'signature';
    case 'items':
      return 'depiction';
    case 'goodFaith':
      return 'good_faith';
    case 'contact':
      return 'contact';
    default:
      return undefined;
  }
}

/**
 * Which of the four elements a request's problems leave missing or unusable, in the law's order, each with its
 * clause. An empty list with errors means every element is there and only something else needs fixing.
 * @example
 * missingElements([{ field: 'contact', code: 'contact_required', message: '…' }]);
 * // [{ element: 'contact', clause: '§3(a)(1)(B)(iv)', description: '…' }]
 */
export function missingElements(errors: readonly FieldError[]): LawElementInfo[] {
  const missing = new Set(errors.map((error) => elementOfField(error.field)).filter((element) => element !== undefined));
  return LAW_ELEMENTS.filter((info) => missing.has(info.element));
}
