/**
 * The removal request, one short step at a time. Pictures are hashed on this device; only the hashes are sent,
 * unless the person ticks "share a copy with reviewers" (and then only after the request is accepted).
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { apiErrorText, fieldErrorText } from '../../shared/api-error-text.ts';
import { ErrorSummary } from '../../shared/Field.tsx';
import { useT } from '../i18n.ts';
import { checkAll, checkStep, emptyDraft, formFieldOf, itemFileNames, STEPS, stepOfField, toRequestInput, withHttps, type FormProblem, type RequestDraft, type StepId } from './draft.ts';
import { entryState, pushEntry, replaceEntry } from '../../shared/router.ts';
import { forgetDraft, isStepId, loadDraft, saveDraft, saveItemFileNames } from '../tab-memory.ts';
import { AboutStep, ContactStep, LinksStep, PicturesStep, ReviewStep, SignStep, StatementStep } from './steps.tsx';
import { submitRequest, type SubmittedCase } from './submit.ts';
import { fieldId, type StepProps } from './step-props.ts';
import { SaveForLater } from './SaveForLater.tsx';
import { takeReportLink, withReportLink } from './report-link.ts';
import { ReportLinkNotice } from './ReportLinkNotice.tsx';

/** A saved request being finished: its content and the code it was saved under. */
export interface ResumedRequest {
  draft: RequestDraft;
  token: string;
}

/** The step this history entry shows, when the form has a draft to show it with. */
function stepOfEntry(): number {
  const step = entryState().step;
  return isStepId(step) ? STEPS.findIndex((s) => s.id === step) : 0;
}

export function RequestForm({ onSubmitted, resumed }: { onSubmitted: (result: SubmittedCase) => void; resumed?: ResumedRequest }) {
  // Opened from a platform's "report" link or button: the reported address is the first link.
  const [reportLink] = useState(takeReportLink);
  // The draft this tab kept (a reload, or Back to the form) comes back as it was, on the step of this entry.
  const [kept] = useState(() => (resumed ? undefined : loadDraft()));
  const [draft, setDraft] = useState<RequestDraft>(() => resumed?.draft ?? withReportLink(kept ?? emptyDraft(), reportLink));
  const [draftToken, setDraftToken] = useState(resumed?.token);
  const [stepIndex, setStepIndex] = useState(() => (kept ? stepOfEntry() : 0));
  const t = useT();
  // Problems are kept as message ids (or the server's words, translated by code) and put in words when shown,
  // so switching the language also switches the errors on screen.
  const [errors, setErrors] = useState<(FormProblem | { field: string; code: string; message: string })[]>([]);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<{ error: unknown }>();
  const files = useRef(new Map<string, File>());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const sent = useRef(false);
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

  // Each step is a history entry: the browser's Back (and Android's back gesture) goes to the previous step.
  useEffect(() => {
    replaceEntry({ ...entryState(), step: STEPS[stepIndex].id });
    const onPop = () => {
      if (window.location.pathname !== '/request') return;
      setErrors([]);
      setStepIndex(stepOfEntry());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
    // Only once: later steps are pushed by showStep.
  }, []);

  // Kept in this tab as the person types (fields, file names and fingerprints; never the pictures).
  useEffect(() => {
    if (!sent.current) saveDraft(draft);
  }, [draft]);

  const showStep = (index: number) => {
    if (index === stepIndex) return;
    pushEntry(window.location.pathname + window.location.search, { step: STEPS[index].id, from: STEPS[stepIndex].id });
    setStepIndex(index);
    window.scrollTo(0, 0);
  };

  const update: StepProps['update'] = (change) =>
    setDraft((d) => (typeof change === 'function' ? change(d) : { ...d, ...change }));
  // In English a form problem reads exactly as core words it (the server's own sentence for links, emails, phones).
  const words = (e: (typeof errors)[number]) =>
    'messageId' in e ? (t.intl.locale === 'en' ? e.message : t.text(e.messageId, e.values)) : fieldErrorText(t, e);
  const shown = errors.map((e) => ({ field: e.field, message: words(e) }));
  const errorOf = (field: string) => shown.find((e) => e.field === field)?.message;
  const goTo = (id: StepId) => {
    setErrors([]);
    showStep(STEPS.findIndex((s) => s.id === id));
  };
  // The form's own Back button: the browser's Back when this entry came from the previous step, so the two agree.
  const back = () => {
    const previous = STEPS[stepIndex - 1];
    if (entryState().from === previous.id) window.history.back();
    else goTo(previous.id);
  };
  const showErrors = (found: typeof errors) => {
    summaryFocus.current = true;
    setErrors(found);
  };

  const next = async () => {
    setSendError(undefined);
    if (step.id !== 'review') {
      let checked = draft;
      if (step.id === 'links') {
        // `example.com/x` is taken as `https://example.com/x` (the links step shows it).
        checked = { ...draft, links: draft.links.map((l) => withHttps(l).link) };
        setDraft(checked);
      }
      const found = checkStep(checked, step.id);
      if (found.length > 0) return showErrors(found);
      setErrors([]);
      showStep(stepIndex + 1);
      return;
    }
    const all = checkAll(draft);
    if (all.length > 0) {
      showStep(STEPS.findIndex((s) => s.id === stepOfField(all[0].field)));
      return showErrors(all.filter((e) => stepOfField(e.field) === stepOfField(all[0].field)));
    }
    setSending(true);
    const { input, sources } = toRequestInput(draft, new Date().toISOString(), t.text('sign.statement'));
    try {
      const result = await submitRequest(input, sources, files.current, draftToken);
      // Sent: the form is forgotten; the file names stay in this tab for the status page.
      saveItemFileNames(result.caseNumber, itemFileNames(sources, draft.pictures));
      forgetDraft();
      sent.current = true;
      onSubmitted(result);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        const mapped = error.fields.map((f) => ({ field: formFieldOf(f.field, sources), code: f.code, message: f.message }));
        const firstStep = stepOfField(mapped[0].field);
        showStep(STEPS.findIndex((s) => s.id === firstStep));
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
      {reportLink && (step.id === 'about' || step.id === 'links') && <ReportLinkNotice link={reportLink} links={draft.links} />}
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
            <button type="button" className="button" onClick={back} disabled={sending}>
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
