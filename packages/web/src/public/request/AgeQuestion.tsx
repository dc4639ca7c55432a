/**
 * "Was the person under 18 when this was made?" Optional: the law does not ask it of a request. A "yes" shows
 * NCMEC's routes at once, and the form never offers to share a copy.
 */
import { MinorHelp } from '../MinorHelp.tsx';
import type { RequestDraft } from './draft.ts';
import type { StepProps } from './step-props.ts';

const CHOICES: { value: RequestDraft['under18']; label: string }[] = [
  { value: 'yes', label: 'Yes, under 18' },
  { value: 'no', label: 'No, 18 or older' },
  { value: 'unsure', label: 'I am not sure' },
];

export function AgeQuestion({ draft, update }: Pick<StepProps, 'draft' | 'update'>) {
  return (
    <>
      <fieldset className="field" aria-describedby="under18-hint">
        <legend>Was the person in the pictures under 18 when they were made? (optional)</legend>
        <p className="hint" id="under18-hint">If so, we send your request to a senior reviewer and never ask for a copy.</p>
        {CHOICES.map((choice) => (
          <div className="choice" key={choice.value}>
            <input
              type="radio"
              id={`under18-${choice.value}`}
              name="under18"
              checked={draft.under18 === choice.value}
              onChange={() => update({ under18: choice.value, ...(choice.value === 'yes' ? { shareMedia: false } : {}) })}
            />
            <label htmlFor={`under18-${choice.value}`}>{choice.label}</label>
          </div>
        ))}
      </fieldset>
      {draft.under18 === 'yes' && <MinorHelp />}
    </>
  );
}
