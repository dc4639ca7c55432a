import { LAW_ELEMENTS } from '@takedown/core';
import { openCasePii, type CasePii } from '../store/case-pii.ts';
import type { Tx } from '../store/database.ts';
import { itemHashes, type CaseRow } from '../store/rows.ts';
import { CLOSED_CASE_STATES } from '../store/transitions.ts';
import { appendAudit } from '../store/audit-chain.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { checkPin, lockCase, withdrawLockedCase, type PinAttempt, type RequesterContext, type RequesterResult } from './requester-case.ts';

/**
 * The requester's own data (GDPR Art. 15 and 17, and good practice everywhere): with the case number and PIN
 * the person can download what is held about them and have it deleted. Deletion keeps only the audit skeleton
 * the law needs, and the answer says what was kept and why.
 */

/** Everything held about a requester's case, in a machine-readable form and in plain words. */
export interface PersonalDataExport {
  caseNumber: string;
  exportedAt: Date;
  /** Plain-language lines, for the person: what we hold, why, and for how long. */
  summary: string[];
  case: {
    state: string;
    jurisdiction: string;
    receivedAt: Date;
    signedAt: Date;
    closedAt?: Date;
    requesterRole: string;
    shareMedia: boolean;
    under18WhenMade: boolean;
    /** The language and time zone messages use, and the channels the person asked to be told on. */
    language: string;
    timeZone?: string;
    notifyBy: string[];
    personalDataDeletedAt?: Date;
  };
  /** What the person wrote (name, contact, statement, signature), decrypted; null once deleted. */
  statements: CasePii | null;
  items: { position: number; state: string; receivedAt: Date; deadline: Date; url?: string; hashes: Record<string, unknown>; removedAt?: Date; declineReason?: string }[];
  /** What happened to the case, when: actions only (staff names stay out, and the uploader never learns who asked). */
  history: { at: Date; action: string }[];
  /** What is kept after a deletion, and why. */
  keptAfterDeletion: KeptRecord[];
}

export interface KeptRecord {
  what: string;
  why: string;
}

/** The audit skeleton a deletion keeps, and the reason for each part (said to the person). */
export const KEPT_AFTER_DELETION: readonly KeptRecord[] = Object.freeze([
  {
    what: 'The case number, when the request arrived and was signed, its deadlines, and what was decided and when (with the reason for each decision).',
    why: 'The law requires removal within a set time (TAKE IT DOWN Act §3(a)(3); EU DSA Art. 16 and 17). These records show it was done, and may be needed to defend a legal claim (GDPR Art. 17(3)(e)).',
  },
  {
    what: 'The fingerprints (hashes) of the pictures or videos. They cannot be turned back into an image.',
    why: 'They stop removed images from being uploaded again (TAKE IT DOWN Act §3(a)(3)(B)).',
  },
  {
    what: 'A one-way code made from your email or phone, not the email or phone itself.',
    why: 'It lets us notice if someone sends many false requests (EU DSA Art. 23). It cannot be turned back into your contact details.',
  },
  {
    what: 'A locked log of these events.',
    why: 'It shows the records above were not changed. It holds no name, contact, statement or link.',
  },
]);

const DELETED: readonly string[] = Object.freeze([
  'your name (and the name of anyone you act for)',
  'your email address and phone number',
  'your statement and signature',
  'the links you gave, and links to copies we found',
  'any copy of a picture you chose to share with reviewers',
]);

function summaryOf(caseRow: CaseRow, itemCount: number): string[] {
  const lines = [
    `This is everything we hold about case ${caseRow.case_number}.`,
    caseRow.pii_deleted_at
      ? 'Your name, contact details, statement and links have been deleted.'
      : 'We hold your name, how to contact you, your statement and your signature. They are stored encrypted.',
    `We hold ${itemCount} ${itemCount === 1 ? 'item' : 'items'}: where each picture or video is, or its fingerprint (hash). Pictures stay on your device unless you chose to share a copy.`,
    'We use this only to get the pictures or videos removed and to keep them from coming back.',
    `We need it because you asked for removal: the law sets what a request must contain (${LAW_ELEMENTS.map((e) => e.clause).join(', ')} of the TAKE IT DOWN Act).`,
    'A platform that hosts the content gets its link and fingerprints, so it can remove it. Platforms are never told who asked.',
    'We delete your personal details when you withdraw the request, when you ask, or one year after the case is closed (the operator may set a different period).',
  ];
  if (caseRow.under_18_when_made) lines.push('You told us the person shown was under 18 when it was made. No copy of it is ever kept.');
  return lines;
}

async function exportOf(tx: Tx, ctx: RequesterContext, caseRow: CaseRow, now: Date): Promise<PersonalDataExport> {
  const items = await tx.selectFrom('items').selectAll().where('case_id', '=', caseRow.id).orderBy('position').execute();
  const history = await tx.selectFrom('audit_events').select(['at', 'action']).where('case_id', '=', caseRow.id).orderBy('seq').execute();
  return {
    caseNumber: caseRow.case_number,
    exportedAt: now,
    summary: summaryOf(caseRow, items.length),
    case: {
      state: caseRow.state,
      jurisdiction: caseRow.jurisdiction,
      receivedAt: caseRow.received_at,
      signedAt: caseRow.signed_at,
      closedAt: caseRow.closed_at ?? undefined,
      requesterRole: caseRow.requester_role,
      shareMedia: caseRow.share_media,
      under18WhenMade: caseRow.under_18_when_made,
      language: caseRow.language,
      timeZone: caseRow.time_zone ?? undefined,
      notifyBy: caseRow.notify_channels,
      personalDataDeletedAt: caseRow.pii_deleted_at ?? undefined,
    },
    statements: caseRow.pii ? openCasePii(ctx.keys.pii, caseRow.id, Buffer.from(caseRow.pii)) : null,
    items: items.map((item) => ({
      position: item.position,
      state: item.state,
      receivedAt: item.received_at,
      deadline: item.deadline_at,
      url: item.url ?? undefined,
      hashes: itemHashes(item),
      removedAt: item.removed_at ?? undefined,
      declineReason: item.decline_reason ?? undefined,
    })),
    history: history.map((event) => ({ at: event.at, action: event.action })),
    keptAfterDeletion: [...KEPT_AFTER_DELETION],
  };
}

/** GDPR Art. 15: a copy of what is held about the requester's case (GET /v1/cases/:caseNumber/personal-data). */
export async function exportPersonalData(ctx: RequesterContext, attempt: PinAttempt): Promise<RequesterResult<PersonalDataExport>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    const value = await exportOf(tx, ctx, check.caseRow, now);
    await appendAudit(tx, now, [{ actor: 'requester', action: 'pii.exported', caseId: check.caseRow.id, data: {} }]);
    return { kind: 'ok', value };
  });
}

export interface ErasureReceipt {
  caseNumber: string;
  deletedAt: Date;
  /** True when the case was still open: deleting the details stops it (no one could be told what happens). */
  withdrew: boolean;
  deleted: string[];
  kept: KeptRecord[];
}

/**
 * GDPR Art. 17: deletes the requester's personal data now. An open case is withdrawn first (its open items
 * stop): without a contact and a statement it cannot go on. Asking twice is harmless and gives the same receipt.
 */
export async function erasePersonalDataOnRequest(ctx: RequesterContext, attempt: PinAttempt): Promise<RequesterResult<ErasureReceipt>> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const check = await checkPin(tx, ctx.keys, now, attempt);
    if (check.kind !== 'ok') return check;
    const caseRow = await lockCase(tx, check.caseRow.id);
    const receipt = (deletedAt: Date, withdrew: boolean): RequesterResult<ErasureReceipt> => ({
      kind: 'ok',
      value: { caseNumber: caseRow.case_number, deletedAt, withdrew, deleted: [...DELETED], kept: [...KEPT_AFTER_DELETION] },
    });
    if (caseRow.pii_deleted_at) return receipt(caseRow.pii_deleted_at, false);
    const open = !CLOSED_CASE_STATES.includes(caseRow.state);
    if (open) await withdrawLockedCase(tx, now, caseRow);
    await erasePersonalData(tx, now, ctx.sharedCopies, [{ caseId: caseRow.id, reason: { kind: 'requested' } }]);
    return receipt(now, open);
  });
}
