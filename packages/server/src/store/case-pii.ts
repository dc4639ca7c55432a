import type { RemovalRequestInput } from '@takedown/core';
import { decryptJson, encryptJson } from '../crypto/pii.ts';
import type { EncryptionKeys } from '../crypto/key-ring.ts';

/** The parts of a request that identify or describe a person: stored only encrypted, deleted by retention. */
export interface CasePii {
  requester: RemovalRequestInput['requester'];
  contact: RemovalRequestInput['contact'];
  goodFaith: RemovalRequestInput['goodFaith'];
  signature: RemovalRequestInput['signature'];
}

export function sealCasePii(key: EncryptionKeys, caseId: string, request: RemovalRequestInput): Buffer {
  const pii: CasePii = { requester: request.requester, contact: request.contact, goodFaith: request.goodFaith, signature: request.signature };
  return encryptJson(key, pii, `case:${caseId}`);
}

export function openCasePii(key: EncryptionKeys, caseId: string, sealed: Buffer): CasePii {
  return decryptJson<CasePii>(key, sealed, `case:${caseId}`);
}
