/**
 * A labelled form field with its hint and its error right below the label, wired for screen readers
 * (aria-describedby, aria-invalid). Errors say how to fix the problem.
 */
import type { ReactNode } from 'react';

export interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (aria: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="error-text" id={`${id}-error`}><span className="visually-hidden">Error: </span>{error}</p>}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
    </div>
  );
}

/** The list of problems at the top of a step; each links to its field. */
export function ErrorSummary({ errors, fieldIds }: { errors: { field: string; message: string }[]; fieldIds: (field: string) => string }) {
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} id="error-summary">
      <h2>{errors.length === 1 ? 'There is 1 thing to fix' : `There are ${errors.length} things to fix`}</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}><a href={`#${fieldIds(e.field)}`}>{e.message}</a></li>
        ))}
      </ul>
    </div>
  );
}
