/**
 * Words both apps use (form fields, error summary, answers from the server), in English: the reference
 * catalogue. Every other language has the same keys with the same ICU arguments (test/i18n-catalogue.test.ts).
 */
export const sharedEn = {
  'field.errorPrefix': 'Error: ',
  'errorSummary.title': '{count, plural, one {There is # thing to fix} other {There are # things to fix}}',
  'date.unknown': 'an unknown time',

  // Answers from the server, by their stable `code` (docs/api.md). The server's English message stays for API users.
  'apiError.network': 'We could not reach the service. Check your internet connection and try again. Nothing was lost on this page.',
  'apiError.rate_limited': 'Too many tries from this device in a short time. Wait a minute and try again.',
  'apiError.busy': 'The service is busy right now. Wait a minute and try again. Nothing was lost on this page.',
  'apiError.internal_error': 'Something went wrong on our side. Nothing was saved. Please try again in a minute.',
  'apiError.body_too_large': 'This is too large to send. Try a smaller file or fewer pictures.',
  'apiError.case_closed': 'This request is closed. It cannot be changed any more. You can send a new request.',
  'apiError.not_found': 'We could not find this. Check the address and try again.',
  'apiError.forbidden': 'You cannot do this with your role.',
  'apiError.wrong_credentials': 'Wrong username or password. Check both and try again.',
  'apiError.too_many_attempts': 'Too many wrong tries. To keep things safe, please wait. Try again after {retryAt}.',
  'apiError.csrf_token_invalid': 'Your session has expired. Reload the page and try again.',
  'apiError.not_signed_in': 'Please sign in again.',
  'apiError.already_withdrawn': 'This request is already withdrawn.',
  'apiError.item_already_withdrawn': 'This item is already withdrawn. Nothing more needs doing.',
  'apiError.item_decided': 'This item is already decided, so it cannot be withdrawn now. Your other items are not changed.',
  'apiError.item_not_found': 'We could not find this item in your request. Refresh the page and try again.',
  'apiError.invalid_request': 'Something in the form needs fixing. Check your answers and try again.',
  'apiError.unknown': 'Something went wrong on our side (error {status}). Please try again in a minute.',

  // Problems with one answer, by the code core or the server gives (core's validation, docs/domain.md).
  'fieldError.required': 'Please fill this in.',
  'fieldError.too_long': 'This is too long. Please shorten it.',
  'fieldError.invalid_url': 'This is not a complete web address. Please copy the whole address, starting with https://.',
  'fieldError.invalid_email': 'This does not look like an email address. Please check it has the form name@example.com.',
  'fieldError.invalid_phone': 'This does not look like a phone number. Please write its digits, for example +1 202 555 0143.',
  'fieldError.contact_required': 'Give an email address or a phone number, so we can tell you what happens.',
  'fieldError.duplicate': 'This is already in your request.',
  'fieldError.invalid': 'Please check this answer.',

  'apiError.draft_not_found': 'We could not find a saved request with this code. It may have expired. Saved requests are kept for a few days only. You can start again.',
  'apiError.draft_token_required': 'Type or paste the code you got when you saved your request.',
  'fieldError.signer_not_requester': 'Please sign with your own full name, as you wrote it above. Only the person shown, or someone acting for them, can sign.',
} as const;

export type SharedMessageId = keyof typeof sharedEn;
