/**
 * The statement of reasons an uploader gets for a removal (DSA Art. 17(3)), built from the decision alone. It
 * names no one: not who asked, not the case, not the reviewer (DESIGN §1: "the uploader is told what was
 * removed and why, never who asked"). The fields follow Art. 17(3) point by point:
 * (a) the decision, its territorial scope and duration; (b) the facts and circumstances relied on, including
 * that it came from an Art. 16 notice; (c) automated means used in detection and in the decision; (d) the
 * legal ground; (e) the contractual ground; (f) the redress available (internal complaint, out-of-court
 * settlement under Art. 21, judicial redress).
 */
export interface RemovalDecisionFacts {
  itemId: string;
  /** The item's state: `confirmed` (the platform is asked to remove it) or `removed`. */
  itemState: string;
  decidedAt: Date;
  removedAt?: Date;
  /** The jurisdiction whose clock the request runs on (US, EU, UK, AU or a configured one). */
  jurisdiction: string;
  /** The law as the deployment's jurisdiction profile names it; unset: the built-in wording for the code. */
  legalGround?: string;
  /** True when the content was found by the known-copy sweep (hash matching), not named in the notice itself. */
  foundByHashMatching: boolean;
  /** True when the removal was decided without a person (an exact copy of content a person confirmed). */
  decidedAutomatically: boolean;
  /** `image`, `video`, or unknown. */
  mediaType?: string | null;
  /** How long the platform's uploader has for an answer once they appeal, in hours. */
  appealDecidedWithinHours: number;
}

export interface StatementOfReasons {
  itemId: string;
  /** Art. 17(3)(a) */
  decision: { kind: 'removal'; description: string; territorialScope: string; duration: string; decidedAt: string; appliedAt?: string };
  /** Art. 17(3)(b) */
  facts: { source: 'notice'; noticeBasis: string; description: string; contentType: string };
  /** Art. 17(3)(c) */
  automatedMeans: { usedInDetection: boolean; usedInDecision: boolean; description: string };
  /** Art. 17(3)(d) */
  legalGround: { law: string; explanation: string };
  /** Art. 17(3)(e) */
  contractualGround: { explanation: string };
  /** Art. 17(3)(f) */
  redress: { internalComplaint: { how: string; decidedWithinHours: number }; outOfCourtSettlement: string; judicialRedress: string };
}

/** The law each built-in jurisdiction removes under; a configured one falls back to the general wording. */
const LEGAL_GROUNDS: Readonly<Record<string, string>> = Object.freeze({
  US: 'TAKE IT DOWN Act (Pub. L. 119-12), §3(a)(3): removal of a non-consensual intimate visual depiction within 48 hours of a valid request.',
  EU: 'Regulation (EU) 2022/2065 (Digital Services Act), Art. 16 notice of illegal content; the sharing of intimate images without consent is an offence under Directive (EU) 2024/1385, Art. 5, and the law of the Member States.',
  UK: 'Online Safety Act 2023, illegal content duties: sharing an intimate photograph or film without consent is an offence (Sexual Offences Act 2003, s. 66B).',
  AU: 'Online Safety Act 2021 (Cth): intimate images shared without consent, which the eSafety Commissioner can require to be removed within 24 hours.',
});

const GENERAL_GROUND = 'The law on intimate images shared without the consent of the person shown, in the jurisdiction the notice was made under.';

/**
 * Builds the statement of reasons for a removal from the facts of its decision.
 * @example statementOfReasons({ itemId, itemState: 'removed', decidedAt, jurisdiction: 'US', foundByHashMatching: false, decidedAutomatically: false, appealDecidedWithinHours: 168 })
 */
export function statementOfReasons(facts: RemovalDecisionFacts): StatementOfReasons {
  const contentType = facts.mediaType === 'video' ? 'video' : facts.mediaType === 'image' ? 'image' : 'image or video';
  const found = facts.foundByHashMatching
    ? `This ${contentType} was found by comparing fingerprints (hashes) of content already confirmed as intimate imagery shared without consent with content on the platform.`
    : `A notice said this ${contentType} is an intimate image of a person, shared without their consent.`;
  const decided = facts.decidedAutomatically
    ? 'It is an exact copy of content a person had already reviewed and confirmed, so it was removed without a second review.'
    : 'A trained reviewer checked the notice and confirmed it.';
  return {
    itemId: facts.itemId,
    decision: {
      kind: 'removal',
      description: facts.itemState === 'removed' ? 'The content was removed from the platform.' : 'The platform was asked to remove the content.',
      territorialScope: 'Everywhere the platform is available: the content is removed, not hidden in some countries.',
      duration: 'Permanent, unless an appeal or a court reverses the decision.',
      decidedAt: facts.decidedAt.toISOString(),
      ...(facts.removedAt && { appliedAt: facts.removedAt.toISOString() }),
    },
    facts: {
      source: 'notice',
      noticeBasis: 'A notice under Art. 16 of the Digital Services Act (and the equivalent process of the other applicable laws), from the person shown or someone acting for them. Who sent it is not disclosed.',
      description: `${found} ${decided}`,
      contentType,
    },
    automatedMeans: {
      usedInDetection: facts.foundByHashMatching,
      usedInDecision: facts.decidedAutomatically,
      description: facts.decidedAutomatically
        ? 'Automated: the match was exact (identical fingerprint of content a person confirmed). No other removal is decided automatically.'
        : facts.foundByHashMatching
          ? 'Fingerprint matching found the content; a person decided.'
          : 'No automated means: a person decided.',
    },
    legalGround: { law: facts.legalGround ?? LEGAL_GROUNDS[facts.jurisdiction] ?? GENERAL_GROUND, explanation: 'Intimate images shared without the consent of the person shown are illegal content.' },
    contractualGround: { explanation: "The platform's terms of service forbid sharing intimate images of a person without their consent." },
    redress: {
      internalComplaint: {
        how: 'The uploader can appeal through the platform, with a statement of why the removal is wrong. A different person decides the appeal.',
        decidedWithinHours: facts.appealDecidedWithinHours,
      },
      outOfCourtSettlement: 'In the EU, the uploader can also turn to a certified out-of-court dispute settlement body (Digital Services Act, Art. 21).',
      judicialRedress: 'The uploader can always take the decision to a court.',
    },
  };
}
