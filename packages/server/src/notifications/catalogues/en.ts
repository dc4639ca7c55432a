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
  itemRemoved: 'Part {position} of case {caseNumber} was taken down on {at, date, when}.',
  appealReceived: 'We have your request to look again at case {caseNumber}. A different person will decide.',
  appealDecided: '{outcome, select, upheld {We looked again at case {caseNumber}. The decision stays the same.} other {We looked again at case {caseNumber} and changed the decision.}} Your case page has the details.',
  draftExpiring: 'A request you started is saved until {at, date, when}. After that it is deleted.',
  pinReset: 'Someone asked to set a new PIN for case {caseNumber}. Your code is {code}. It works once, for {minutes} minutes. Open {link} and enter it there.',
  pinResetNotYou: 'If this was not you, you do not need to do anything. Your PIN stays the same.',
  nextSteps: 'To see your case, go to {link} with your case number and PIN.',
  signOff: 'You asked us to write to you about this case.',
};

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
