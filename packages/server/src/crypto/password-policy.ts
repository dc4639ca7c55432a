import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * Staff passwords as NIST SP 800-63B (rev. 4, §3.1.1.2) asks of passwords used alone: at least 15 characters,
 * no composition rules, and never one that is known to be breached, common, repetitive or sequential, or made
 * of the service's or the user's own name. The list and the patterns come from zxcvbn-ts (its common-password
 * dictionary of ≈ 49 000 passwords ranked from breach corpora, plus its repeat, sequence, keyboard and date
 * matchers), bundled from npm: nothing is downloaded at run time. See docs/decisions/009-staff-passwords.md.
 */
export const MIN_PASSWORD_LENGTH = 15;

/** Fewer guesses than this (zxcvbn's estimate) is "too easy to guess": its top score, about 10^10. */
const MIN_GUESSES_LOG10 = 10;

/** Letters and digits a password must have besides the username and the service's words. */
const MIN_OWN_CHARACTERS = 10;

/** Words that make a password easy to guess here, whoever the user is. */
const SERVICE_WORDS = ['takedown', 'take it down', 'review', 'reviewer', 'admin', 'staff', 'ncii'];

let estimator: ZxcvbnFactory | undefined;

/** Why zxcvbn found it easy, in plain words (its warning codes). */
const REASONS: Record<string, string> = {
  straightRow: 'it is a row of keys',
  keyPattern: 'it is a keyboard pattern',
  simpleRepeat: 'it repeats a character',
  extendedRepeat: 'it repeats a group of characters',
  sequences: 'it follows a sequence such as abc or 123',
  recentYears: 'it ends in a recent year',
  dates: 'it is built on a date',
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is on the list of common and breached passwords',
  similarToCommon: 'it is a small change to a common or breached password',
  wordByItself: 'it is a single word',
  namesByThemselves: 'it is a name',
  commonNames: 'it is a common name',
  userInputs: 'it contains the username or the name of this service',
};

/**
 * What is wrong with a new staff password, in a sentence that says how to fix it, or undefined when it is
 * fine. `username` counts as a word anyone would try.
 * @example
 * passwordProblem('aaaaaaaaaaaaaaaa', 'riley') // 'This password is too easy to guess: it repeats a character. …'
 */
export function passwordProblem(password: string, username: string): string | undefined {
  const advice = 'Use a passphrase of four or more unrelated words, or a password from a password manager.';
  if ([...password].length < MIN_PASSWORD_LENGTH) return `A staff password needs at least ${MIN_PASSWORD_LENGTH} characters. ${advice}`;
  const context = [username, ...SERVICE_WORDS];
  // zxcvbn rates "ada-takedown-admin" high (it multiplies the parts' guesses); NIST counts such words as the
  // first a guesser tries, so what is left without them must be a password of its own.
  const rest = context.reduce((left, word) => left.split(word.toLowerCase()).join(''), password.toLowerCase()).replace(/[^\p{L}\p{N}]/gu, '');
  if ([...rest].length < MIN_OWN_CHARACTERS) return `This password is too easy to guess: ${REASONS.userInputs}. ${advice}`;
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  // Long passwords: zxcvbn looks at the first 256 characters (its own guard against slow inputs).
  const result = estimator.check(password.slice(0, 256), context);
  if (result.guessesLog10 >= MIN_GUESSES_LOG10) return undefined;
  const reason = REASONS[result.feedback.warning ?? ''] ?? 'it is built from common words, names or patterns';
  return `This password is too easy to guess: ${reason}. ${advice}`;
}
