// What the request form hands each step, apart from the form itself so the steps need not import it.
import type { RefObject } from 'react';
import type { RequestDraft, StepId } from './draft.ts';

export const fieldId = (field: string) => `field-${field.replace(/[^a-zA-Z0-9]+/g, '-')}`;

export interface StepProps {
  draft: RequestDraft;
  update: (change: Partial<RequestDraft> | ((d: RequestDraft) => RequestDraft)) => void;
  /** The problem with a field, in the reader's language. */
  errorOf: (field: string) => string | undefined;
  files: RefObject<Map<string, File>>;
  goTo: (step: StepId) => void;
}
