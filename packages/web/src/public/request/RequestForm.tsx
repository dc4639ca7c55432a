/**
 * The removal request, one short step at a time. Pictures are hashed on this device; only the hashes are sent,
 * unless the person ticks "share a copy with reviewers" (and then only after the request is accepted).
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { apiErrorText, fieldErrorText } from '../../shared/api-error-text.ts';
import { ErrorSummary } from '../../shared/Field.tsx';
import { useT } from '../i18n.ts';
import { checkAll, checkStep, emptyDraft, formFieldOf, STEPS, stepOfField, toRequestInput, type FormProblem, type RequestDraft, type StepId } from './draft.ts';
import { AboutStep, ContactStep, LinksStep, PicturesStep, ReviewStep, SignStep, StatementStep } from './steps.tsx';
import { submitRequest, type SubmittedCase } from './submit.ts';
import { fileNamesOfItems, rememberFileNames } from '../item-names.ts';
import { fieldId, type StepProps } from './step-props.ts';
import { SaveForLater } from './SaveForLater.tsx';

/** A saved request being finished: its content and the code it was saved under. */
export interface ResumedRequest {
  draft: RequestDraft;
  token: string;
}

export function RequestForm({ onSubmitted, resumed }: { onSubmitted: (result: SubmittedCase) => void; resumed?: ResumedRequest }) {
  const [draft, setDraft] = useState<RequestDraft>(() => resumed?.draft ?? emptyDraft());
  const [draftToken, setDraftToken] = useState(resumed?.token);
  const [stepIndex, setStepIndex] = useState(0);
  const t = useT();
  // Problems are kept as message ids (or the server's words, translated by code) and put in words when shown,
  // so switching the language also switches the errors on screen.
  const [errors, setErrors] = useState<(FormProblem | { field: string; code: string; message: string })[]>([]);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<{ error: unknown }>();
  const files = useRef(new Map<string, File>());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryFocus = useRef(false);
  const step = STEPS[stepIndex];

  useEffect(() => {
    if (summaryFocus.current) {
      summaryFocus.current = false;
      document.getElementById('error-summary')?.focus();
    } else {
      headingRef.current?.focus();
    }
  }, [stepIndex, errors]);

  const update: StepProps['update'] = (change) =>
    setDraft((d) => (typeof change === 'function' ? change(d) : { ...d, ...change }));
  // In English a form problem reads exactly as core words it (the server's own sentence for links, emails, phones).
  const words = (e: (typeof errors)[number]) =>
    'messageId' in e ? (t.intl.locale === 'en' ? e.message : t.text(e.messageId, e.values)) : fieldErrorText(t, e);
  const shown = errors.map((e) => ({ field: e.field, message: words(e) }));
  const errorOf = (field: string) => shown.find((e) => e.field === field)?.message;
  const goTo = (id: StepId) => {
    setErrors([]);
    setStepIndex(STEPS.findIndex((s) => s.id === id));
  };
  const showErrors = (found: typeof errors) => {
    summaryFocus.current = true;
    setErrors(found);
  };

  const next = async () => {
    setSendError(undefined);
    if (step.id !== 'review') {
      const found = checkStep(draft, step.id);
      if (found.length > 0) return showErrors(found);
      setErrors([]);
      setStepIndex(stepIndex + 1);
      return;
    }
    const all = checkAll(draft);
    if (all.length > 0) {
      setStepIndex(STEPS.findIndex((s) => s.id === stepOfField(all[0].field)));
      return showErrors(all.filter((e) => stepOfField(e.field) === stepOfField(all[0].field)));
    }
    setSending(true);
    const { input, sources } = toRequestInput(draft, new Date().toISOString(), t.text('sign.statement'));
    try {
      const submitted = await submitRequest(input, sources, files.current, draftToken);
      // The person's own file names stay on this device, to name the items on the status page (item-names.ts).
      rememberFileNames(submitted.caseNumber, fileNamesOfItems(sources, draft.pictures));
      onSubmitted(submitted);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        const mapped = error.fields.map((f) => ({ field: formFieldOf(f.field, sources), code: f.code, message: f.message }));
        const firstStep = stepOfField(mapped[0].field);
        setStepIndex(STEPS.findIndex((s) => s.id === firstStep));
        showErrors(mapped.filter((e) => stepOfField(e.field) === firstStep));
      } else {
        setSendError({ error });
      }
    } finally {
      setSending(false);
    }
  };

  const props: StepProps = { draft, update, errorOf, files, goTo };
  return (
    <div className="request-form">
      <p className="step-count" aria-hidden="true">{t.text('form.stepCount', { step: stepIndex + 1, total: STEPS.length })}</p>
      <ol className="progress" aria-label={t.text('form.steps')}>
        {STEPS.map((s, i) => (
          <li key={s.id} className={i === stepIndex ? 'current' : i < stepIndex ? 'done' : ''} aria-current={i === stepIndex ? 'step' : undefined}>
            <span className="visually-hidden">{t.text(i < stepIndex ? 'form.stepDone' : i === stepIndex ? 'form.stepCurrent' : 'form.stepNext')}</span>{t.text(s.title)}
          </li>
        ))}
      </ol>
      <h1 ref={headingRef} tabIndex={-1}>
        <span className="visually-hidden">{t.text('form.stepCount', { step: stepIndex + 1, total: STEPS.length })}: </span>{t.text(step.title)}
      </h1>
      <ErrorSummary errors={shown} fieldIds={fieldId} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void next();
        }}
      >
        {step.id === 'about' && <AboutStep {...props} />}
        {step.id === 'links' && <LinksStep {...props} />}
        {step.id === 'pictures' && <PicturesStep {...props} />}
        {step.id === 'statement' && <StatementStep {...props} />}
        {step.id === 'contact' && <ContactStep {...props} />}
        {step.id === 'sign' && <SignStep {...props} />}
        {step.id === 'review' && <ReviewStep {...props} />}
        {sendError && <p className="error-text" role="alert">{apiErrorText(t, sendError.error)}</p>}
        <div className="form-buttons">
          {stepIndex > 0 && (
            <button type="button" className="button" onClick={() => goTo(STEPS[stepIndex - 1].id)} disabled={sending}>
              {t.text('form.back')}
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={sending}>
            {step.id === 'review' ? t.text(sending ? 'form.sending' : 'form.send') : t.text('form.next')}
          </button>
        </div>
      </form>
      <SaveForLater draft={draft} token={draftToken} onSaved={setDraftToken} />
    </div>
  );
}
