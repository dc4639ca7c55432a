/**
 * The shape of a removal request as the person depicted (or their representative) submits it, by the public
 * form or `POST /v1/requests`. Validation (§3(a)(1)(B)) lives in validate-request.ts; this file is the
 * contract shared by the web form, the HTTP schema and the domain.
 */
import type { VpdqFrame } from './vpdq-frames.ts';

/** Who is asking: the person depicted, or someone authorised to act for them. */
export type RequesterRole = 'self' | 'representative';

export interface RequesterInput {
  role: RequesterRole;
  /** Full name of the person making the request. */
  fullName: string;
  /** For a representative: how they are related to the person depicted (e.g. "parent", "lawyer"). */
  relationship?: string;
  /** For a representative: the name of the person depicted. */
  depictedPersonName?: string;
}

/** §3(a)(1)(B)(iv): at least one way to reach the requester. */
export interface ContactInput {
  email?: string;
  phone?: string;
}

/** §3(a)(1)(B)(iii): the good-faith statement that the depiction is not consensual. */
export interface GoodFaithInput {
  /** The required checkbox: "I believe in good faith that this was shared without consent." */
  affirmed: boolean;
  /** Free text: relevant information supporting the statement. */
  statement: string;
}

/** §3(a)(1)(B)(i): the electronic signature: a typed full name, when it was signed and what was signed. */
export interface SignatureInput {
  fullName: string;
  /** ISO 8601 timestamp of signing (from the requester's device; the server records its own receipt time). */
  signedAt: string;
  /** The exact statement the requester signed, as shown to them. */
  statement: string;
}

/**
 * Hashes made in the requester's browser; the images themselves never leave the device unless they opt in.
 * The fields are the signal types' (`signals/`): the built-in ones are listed, a registered type adds its own.
 */
export interface ItemHashesInput {
  /** PDQ, 64 hex characters. */
  pdq?: string;
  /** PDQ quality 0–100 as computed with the hash. */
  pdqQuality?: number;
  /** MD5 of the file bytes, 32 hex characters. */
  md5?: string;
  /** SHA-256 of the file bytes, 64 hex characters. */
  sha256?: string;
  /** A video's vPDQ: one PDQ hash per sampled frame (1 per second), made on the device; at most 14 400 frames. */
  vpdq?: VpdqFrame[];
  [field: string]: unknown;
}

/** §3(a)(1)(B)(ii): one depiction, located by URL on the platform and/or by hashes. At least one is required. */
export interface ItemInput {
  url?: string;
  hashes?: ItemHashesInput;
  mediaType?: 'image' | 'video';
  /** Set when the requester or intake marks the item as possibly of public interest (routes to senior review). */
  publicInterest?: boolean;
}

export interface RemovalRequestInput {
  /** Which rules apply (deadline length etc.): "US" (default), "EU", "UK", "AU". */
  jurisdiction?: string;
  requester: RequesterInput;
  contact: ContactInput;
  goodFaith: GoodFaithInput;
  signature: SignatureInput;
  items: ItemInput[];
  /** Opt-in: the requester agrees to share a copy of the media with reviewers. Default false; always false when `under18WhenMade`. */
  shareMedia?: boolean;
  /**
   * The answer to "Was the person shown under 18 when this was made?": true, false, or absent (not answered).
   * Not one of §3(a)(1)(B)'s elements, so never demanded. When true the imagery is child sexual abuse material:
   * no copy is ever shared, the case goes to senior review, and the platform is told of its reporting duty
   * (18 U.S.C. § 2258A).
   */
  under18WhenMade?: boolean;
  /** The language the form was filled in (en, it, es, fr, de; anything else is read as en): messages use it. */
  language?: string;
  /** The browser's IANA time zone (e.g. Europe/Rome): dates in messages are shown in it. */
  timeZone?: string;
  /** Opt-in, per channel: tell the requester what happens (receipt, decisions, removals) at their contact. */
  notify?: { email?: boolean };
}

/** One problem with a request, named by its field path (e.g. `items.0.url`), in words that say how to fix it. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}
