/**
 * "Was the person under 18 when this was made?" Optional: the law does not ask it of a request. A "yes" shows
 * NCMEC's routes at once, and the form never offers to share a copy.
 */
import { useT, type PublicId } from '../i18n.ts';
import { MinorHelp } from '../MinorHelp.tsx';
import type { RequestDraft } from './draft.ts';
import type { StepProps } from './step-props.ts';

const CHOICES: { value: RequestDraft['under18']; label: PublicId }[] = [
  { value: 'yes', label: 'age.yes' },
  { value: 'no', label: 'age.no' },
  { value: 'unsure', label: 'age.unsure' },
];

export function AgeQuestion({ draft, update }: Pick<StepProps, 'draft' | 'update'>) {
  const t = useT();
  return (
    <>
      <fieldset className="field" aria-describedby="under18-hint">
        <legend>{t.text('age.question')}</legend>
        <p className="hint" id="under18-hint">{t.text('age.hint')}</p>
        {CHOICES.map((choice) => (
          <div className="choice" key={choice.value}>
            <input
              type="radio"
              id={`under18-${choice.value}`}
              name="under18"
              checked={draft.under18 === choice.value}
              onChange={() => update({ under18: choice.value, ...(choice.value === 'yes' ? { shareMedia: false } : {}) })}
            />
            <label htmlFor={`under18-${choice.value}`}>{t.text(choice.label)}</label>
          </div>
        ))}
      </fieldset>
      {draft.under18 === 'yes' && <MinorHelp />}
    </>
  );
}
