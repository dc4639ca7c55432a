/**
 * Messages to the person who asked, in English (ICU message format, read with @formatjs/intl). Every other
 * language has the same keys (test/notifications/catalogues.test.ts). What these may say: the case number, an
 * item's number, dates, the state of things. Never the PIN, a picture, a link to the content, or a word that
 * tells someone reading over a shoulder what the case is about.
 */
export const en = {
  subject: 'An update on your case',
  greeting: 'Hello,',
  receipt: 'We have your request. Your case number is {caseNumber}. We will deal with {items, plural, one {it} other {each of the # parts}} by {deadline, date, when}.',
  receiptPin: 'Keep the PIN you were shown in a safe place. We never send it and we never ask for it.',
  itemConfirmed: 'Part {position} of case {caseNumber} was approved. We have asked for it to be taken down.',
  itemDeclined: 'We could not approve part {position} of case {caseNumber}. You can see why, and what you can do next, on your case page.',
  caseDecided: '{outcome, select, confirmed {{items, plural, one {# part of case {caseNumber} was approved. We have asked for it to be taken down. We will write to you when it is down.} other {# parts of case {caseNumber} were approved. We have asked for them to be taken down. We will write to you each time one is down.}}} other {{items, plural, one {We could not approve # part of case {caseNumber}.} other {We could not approve # parts of case {caseNumber}.}} You can see why, and what you can do next, on your case page.}}',
  itemRemoved: 'Part {position} of case {caseNumber} was taken down on {at, date, when}.',
  appealReceived: 'The person who posted part {position} of case {caseNumber} asked for our decision to be looked at again. A different person will decide. It stays down while they do.',
  appealDecided: '{outcome, select, unchanged {We looked again at part {position} of case {caseNumber}. The decision stays the same: it stays down.} other {We looked again at part {position} of case {caseNumber}. A different person decided that it may go back up. If you think this is wrong, you can send a new request and tell us more.}} Your case page has the details.',
  notifierWarned: 'We could not act on several of your recent requests, including case {caseNumber}. Please only send requests about pictures or videos of you, or of someone you act for. If more requests cannot be acted on, we may pause new requests from you for a while. If you think we got this wrong, you can ask us to look again on your case page.',
  notifierSuspended: 'We could not act on several of your recent requests, including case {caseNumber}, so we will not take new requests from you until {until, date, when}. Requests about someone who was under 18 are always taken. If you think we got this wrong, you can ask us to look again on your case page.',
  draftExpiring: 'A request you started is saved until {at, date, when}. After that it is deleted.',
  pinReset: 'Someone asked to set a new PIN for case {caseNumber}. Your code is {code}. It works once, for {minutes} minutes. Open {link} and enter it there.',
  pinResetNotYou: 'If this was not you, you do not need to do anything. Your PIN stays the same.',
  nextSteps: 'To see your case, go to {link} with your case number and PIN.',
  signOff: 'You asked us to write to you about this case.',
};

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
