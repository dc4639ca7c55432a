/**
 * A labelled form field with its hint and its error right below the label, wired for screen readers
 * (aria-describedby, aria-invalid). Errors say how to fix the problem.
 */
import type { MouseEvent, ReactNode } from 'react';
import { useTranslator } from '../i18n/I18n.tsx';
import type { SharedMessageId } from '../i18n/shared-en.ts';

export interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (aria: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

/** "Error: " before an error, for screen readers (the colour and position say it to sighted readers). */
export function ErrorPrefix() {
  const t = useTranslator<SharedMessageId>();
  return <span className="visually-hidden">{t.text('field.errorPrefix')}</span>;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="error-text" id={`${id}-error`}><ErrorPrefix />{error}</p>}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
    </div>
  );
}

/**
 * An error summary's link moves focus to its field (GOV.UK's pattern) instead of following the fragment, which
 * would add a history entry: Back then goes to the previous step, not to the same step before the click.
 */
function focusField(event: MouseEvent<HTMLAnchorElement>): void {
  const target = document.getElementById(event.currentTarget.hash.slice(1));
  if (!target?.matches('input, select, textarea, button, [tabindex]')) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: 'center' });
}

/** The list of problems at the top of a step; each links to its field. */
export function ErrorSummary({ errors, fieldIds }: { errors: { field: string; message: string }[]; fieldIds: (field: string) => string }) {
  const t = useTranslator<SharedMessageId>();
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} id="error-summary">
      <h2>{t.text('errorSummary.title', { count: errors.length })}</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}><a href={`#${fieldIds(e.field)}`} onClick={focusField}>{e.message}</a></li>
        ))}
      </ul>
    </div>
  );
}
