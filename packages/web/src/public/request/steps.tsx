/** The seven steps of the request form. Each shows its errors next to the field that needs fixing. */
import { useEffect, useRef, useState } from 'react';
import { ErrorPrefix, Field } from '../../shared/Field.tsx';
import { checkFileBeforeHashing, MAX_FILE_BYTES, mediaKindOf, type FileProblem } from '../../hashing/file-checks.ts';
import { HashFailure, hashInWorker } from '../../hashing/hash-client.ts';
import { heifKindByBytes } from '../../hashing/heif-bytes.ts';
import { VideoHashError } from '../../hashing/video-hash-error.ts';
import { hashVideoInWorker } from '../../hashing/video-hash-client.ts';
import { useT, type PublicId } from '../i18n.ts';
import { REQUESTER_LOCATIONS, withHttps, type PictureEntry } from './draft.ts';
import { fieldId, type StepProps } from './step-props.ts';
import { AgeQuestion } from './AgeQuestion.tsx';

export function AboutStep({ draft, update, errorOf }: StepProps) {
  const t = useT();
  const roleError = errorOf('requester.role');
  return (
    <>
      <fieldset className={roleError ? 'field field-error' : 'field'} aria-describedby={roleError ? `${fieldId('requester.role')}-error` : undefined}>
        <legend>{t.text('about.who')}</legend>
        {roleError && <p className="error-text" id={`${fieldId('requester.role')}-error`}><ErrorPrefix />{roleError}</p>}
        <div className="choice">
          <input type="radio" id={fieldId('requester.role')} name="role" checked={draft.role === 'self'} onChange={() => update({ role: 'self' })} />
          <label htmlFor={fieldId('requester.role')}>{t.text('about.self')}</label>
        </div>
        <div className="choice">
          <input type="radio" id="role-representative" name="role" checked={draft.role === 'representative'} onChange={() => update({ role: 'representative' })} />
          <label htmlFor="role-representative">{t.text('about.representative')}</label>
        </div>
      </fieldset>
      <Field id={fieldId('requester.fullName')} label={t.text('about.fullName')} hint={t.text('about.fullNameHint')} error={errorOf('requester.fullName')}>
        {(aria) => <input {...aria} type="text" autoComplete="name" value={draft.fullName} onChange={(e) => update({ fullName: e.target.value })} />}
      </Field>
      {draft.role === 'representative' && (
        <>
          <Field id={fieldId('requester.depictedPersonName')} label={t.text('about.depictedName')} error={errorOf('requester.depictedPersonName')}>
            {(aria) => <input {...aria} type="text" value={draft.depictedPersonName} onChange={(e) => update({ depictedPersonName: e.target.value })} />}
          </Field>
          <Field id={fieldId('requester.relationship')} label={t.text('about.relationship')} hint={t.text('about.relationshipHint')} error={errorOf('requester.relationship')}>
            {(aria) => <input {...aria} type="text" value={draft.relationship} onChange={(e) => update({ relationship: e.target.value })} />}
          </Field>
        </>
      )}
      <AgeQuestion draft={draft} update={update} />
    </>
  );
}

export function LinksStep({ draft, update, errorOf }: StepProps) {
  const t = useT();
  // Links that got `https://` added when the person left the field: the page says so under each.
  const [withScheme, setWithScheme] = useState<ReadonlySet<number>>(new Set());
  const setLink = (index: number, value: string) =>
    update((d) => ({ ...d, links: d.links.map((l, i) => (i === index ? value : l)) }));
  const completeLink = (index: number) => {
    const { link, added } = withHttps(draft.links[index] ?? '');
    if (!added) return;
    setLink(index, link);
    setWithScheme((s) => new Set(s).add(index));
  };
  return (
    <>
      <p>{t.text('links.intro')}</p>
      {draft.links.map((link, index) => (
        <div className="link-row" key={index}>
          <Field
            id={fieldId(`links.${index}`)}
            label={t.text('links.label', { number: index + 1 })}
            hint={withScheme.has(index) && link.startsWith('https://') ? t.text('links.httpsAdded') : index === 0 ? t.text('links.hint') : undefined}
            error={errorOf(`links.${index}`)}
          >
            {(aria) => <input {...aria} type="url" inputMode="url" autoComplete="off" value={link} onChange={(e) => setLink(index, e.target.value)} onBlur={() => completeLink(index)} />}
          </Field>
          {draft.links.length > 1 && (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setWithScheme(new Set());
                update((d) => ({
                ...d,
                links: d.links.filter((_, i) => i !== index),
                pictures: d.pictures.map((p) => ({ ...p, linkIndex: p.linkIndex === index ? null : p.linkIndex !== null && p.linkIndex > index ? p.linkIndex - 1 : p.linkIndex })),
                }));
              }}
            >
              {t.text('links.remove', { number: index + 1 })}
            </button>
          )}
        </div>
      ))}
      <button type="button" className="button" onClick={() => update((d) => ({ ...d, links: [...d.links, ''] }))}>
        {t.text('links.add')}
      </button>
    </>
  );
}

let pictureCounter = 0;

/** Megabytes as a whole number, for the limits the page states. */
const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** A file turned away before hashing, as the page's message (file-checks.ts keeps the English for tests). */
function fileProblem(problem: FileProblem, name: string): NonNullable<PictureEntry['error']> {
  if (problem.code === 'file_too_large') return { id: 'pictures.tooLarge', values: { name, size: String(megabytes(problem.size)), limit: String(megabytes(MAX_FILE_BYTES)) } };
  if (problem.code === 'empty_file') return { id: 'pictures.empty', values: { name } };
  if (problem.code === 'heic') return { id: 'pictures.heic', values: { name } };
  if (problem.code === 'avif') return { id: 'pictures.avif', values: { name } };
  return { id: 'pictures.notMedia', values: { name } };
}

/** Why a video could not be read on this device, by VideoHashError's code. */
const VIDEO_PROBLEMS: Record<VideoHashError['code'], PublicId> = {
  not_a_video: 'pictures.notMedia',
  video_too_long: 'pictures.videoTooLong',
  video_too_large: 'pictures.videoTooLarge',
  video_timeout: 'pictures.videoTimeout',
  aborted: 'pictures.videoStopped',
};

/**
 * The person's own picture, small, blurred and grey until they choose to see it: seeing it again can hurt,
 * and someone may be looking over their shoulder.
 */
function Thumbnail({ file, name, kind }: { file: File | undefined; name: string; kind: 'image' | 'video' }) {
  const t = useT();
  const [url, setUrl] = useState<string>();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!file) return;
    // A blob: URL lives only in this tab: the thumbnail is drawn from the file on this device.
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  if (!url) return <div className="thumbnail" aria-hidden="true" />;
  const className = shown ? 'thumbnail' : 'thumbnail thumbnail-hidden';
  return (
    <div className="thumbnail-box">
      {kind === 'video'
        ? <video className={className} src={url} muted preload="metadata" aria-label={t.text('pictures.yourVideo', { name })} />
        : <img className={className} src={url} alt={t.text('pictures.yourPicture', { name })} />}
      <button type="button" className="button-link thumbnail-toggle" aria-pressed={shown} onClick={() => setShown(!shown)}>
        {t.text(shown ? 'pictures.hide' : 'pictures.show')}<span className="visually-hidden"> {name}</span>
      </button>
    </div>
  );
}

export function PicturesStep({ draft, update, errorOf, files }: StepProps) {
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState(false);
  const videoQueue = useRef<Promise<void>>(Promise.resolve());
  const links = draft.links.map((l) => l.trim()).filter(Boolean);

  const setPicture = (key: string, change: Partial<PictureEntry>) =>
    update((d) => ({ ...d, pictures: d.pictures.map((p) => (p.key === key ? { ...p, ...change } : p)) }));

  // A HEIC or AVIF renamed .jpg is told by its bytes before hashing, and gets the how-to for its format (as a
  // .heic or .avif file does).
  const hashPicture = async (key: string, file: File) => {
    const heif = await heifKindByBytes(file);
    if (heif) {
      failed(key, { id: heif === 'heic' ? 'pictures.heic' : 'pictures.avif', values: { name: file.name } }, new Error(`${heif.toUpperCase()} by its bytes`));
      return;
    }
    await hashInWorker(file).then(
      (hashes) => {
        setPicture(key, { status: 'done', hashes: { pdq: hashes.pdq, pdqQuality: hashes.pdqQuality, md5: hashes.md5, sha256: hashes.sha256 } });
        setAnnouncement(t.text('pictures.announceReady', { name: file.name }));
      },
      (error: unknown) => {
        const id: PublicId = error instanceof HashFailure && error.code === 'not_an_image' ? 'pictures.notMedia' : 'pictures.unreadable';
        failed(key, { id, values: { name: file.name } }, error);
      },
    );
  };

  // Videos are decoded with WebCodecs in a worker, one at a time; the demuxer and decoder code loads only
  // when someone chooses a video, so the form stays light for everyone else.
  const hashVideo = (key: string, file: File) => {
    videoQueue.current = videoQueue.current.then(() =>
      hashVideoInWorker(file, { onProgress: (done, total) => setPicture(key, { progress: { done, total } }) }).then(
        (hashes) => {
          // Only hashes leave the device: the frames' PDQ hashes, never the frames.
          const vpdq = hashes.vpdq.frames.length > 0 ? hashes.vpdq.frames : undefined;
          setPicture(key, { status: 'done', progress: undefined, hashes: { md5: hashes.md5, sha256: hashes.sha256, vpdq } });
          setAnnouncement(t.text('pictures.announceReady', { name: file.name }));
        },
        (error: unknown) => {
          const id = error instanceof VideoHashError ? VIDEO_PROBLEMS[error.code] : 'pictures.notMedia';
          failed(key, { id, values: { name: file.name } }, error);
        },
      ),
    );
  };

  const failed = (key: string, problem: NonNullable<PictureEntry['error']>, error: unknown) => {
    files.current.delete(key);
    setPicture(key, { status: 'error', error: problem, errorDetail: error instanceof Error ? error.message : String(error) });
    setAnnouncement(t.text(problem.id, problem.values));
  };

  const addFiles = (chosen: FileList | null) => {
    if (!chosen) return;
    for (const file of Array.from(chosen)) {
      const key = `p${++pictureCounter}`;
      const problem = checkFileBeforeHashing(file);
      const kind = mediaKindOf(file) ?? 'image';
      const error = problem ? fileProblem(problem, file.name) : undefined;
      const entry: PictureEntry = { key, name: file.name, size: file.size, kind, status: error ? 'error' : 'hashing', error, linkIndex: null };
      update((d) => ({ ...d, pictures: [...d.pictures, entry] }));
      if (error) {
        setAnnouncement(t.text(error.id, error.values));
        // A file with no name or type we know may still be a HEIC or AVIF picture: its bytes say so.
        if (problem?.code === 'not_an_image') {
          void heifKindByBytes(file).then((heif) => {
            if (!heif) return;
            const how = { id: heif === 'heic' ? 'pictures.heic' : 'pictures.avif', values: { name: file.name } } as const;
            setPicture(key, { error: how });
            setAnnouncement(t.text(how.id, how.values));
          });
        }
        continue;
      }
      files.current.set(key, file);
      setAnnouncement(t.text('pictures.announceWorking', { name: file.name }));
      if (kind === 'video') hashVideo(key, file);
      else void hashPicture(key, file);
    }
    if (inputRef.current) inputRef.current.value = '';
  };

  const remove = (key: string) => {
    files.current.delete(key);
    update((d) => ({ ...d, pictures: d.pictures.filter((p) => p.key !== key) }));
  };

  return (
    <>
      <div className="promise" id="picture-promise">
        <h2>{t.text('pictures.promiseHeading')}</h2>
        <p>{t.text('pictures.promise')}</p>
      </div>
      <p>{t.text('pictures.optional')}</p>
      {errorOf('items') && <p className="error-text" id={fieldId('items')}><ErrorPrefix />{errorOf('items')}</p>}
      {errorOf('pictures') && <p className="error-text" id={fieldId('pictures')}><ErrorPrefix />{errorOf('pictures')}</p>}
      {/* Files may be dropped anywhere on this box; the file chooser inside stays the keyboard's way in. */}
      <div
        className={dragging ? 'drop-zone drop-zone-active' : 'drop-zone'}
        data-testid="drop-zone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          addFiles(e.dataTransfer.files);
        }}
      >
        <p className="drop-zone-text" aria-hidden="true">{t.text(dragging ? 'pictures.dropNow' : 'pictures.drop')}</p>
        <Field id="picture-files" label={t.text('pictures.choose')} hint={t.text('pictures.chooseHint', { limit: megabytes(MAX_FILE_BYTES) })}>
          {(aria) => <input {...aria} ref={inputRef} type="file" accept="image/*,video/mp4,video/webm,video/ogg,video/quicktime" multiple onChange={(e) => addFiles(e.target.files)} aria-describedby={`${aria['aria-describedby'] ?? ''} picture-promise`.trim()} />}
        </Field>
      </div>
      <p className="visually-hidden" aria-live="polite">{announcement}</p>
      {draft.pictures.length > 0 && (
        <ul className="pictures" aria-label={t.text('pictures.list')}>
          {draft.pictures.map((picture, index) => {
            const error = picture.error ? t.text(picture.error.id, picture.error.values) : errorOf(`pictures.${picture.key}`);
            return (
              <li
                key={picture.key}
                className={picture.status === 'error' ? 'picture picture-error' : 'picture'}
                id={fieldId(`pictures.${picture.key}`)}
                data-status={picture.status}
                data-name={picture.name}
                data-kind={picture.kind}
                data-pdq={picture.hashes?.pdq}
                data-quality={picture.hashes?.pdqQuality}
                data-md5={picture.hashes?.md5}
                data-sha256={picture.hashes?.sha256}
                data-vpdq-frames={picture.hashes?.vpdq?.length}
                data-error-detail={picture.errorDetail}
              >
                {picture.status !== 'error' && <Thumbnail file={files.current.get(picture.key)} name={picture.name} kind={picture.kind} />}
                <div className="picture-body">
                  <p className="picture-name">{picture.name}</p>
                  {picture.status === 'hashing' && <p className="picture-status">{t.text('pictures.working')}{picture.progress ? ` ${t.text('pictures.frames', { done: picture.progress.done, total: picture.progress.total })}` : ''}</p>}
                  {picture.status === 'done' && <p className="picture-status picture-ready">{t.text('pictures.ready')}</p>}
                  {error && <p className="error-text">{error}</p>}
                  {picture.status === 'done' && links.length > 0 && (
                    <div className="field">
                      <label htmlFor={`picture-link-${picture.key}`}>{t.text(picture.kind === 'video' ? 'pictures.whereVideo' : 'pictures.wherePicture', { number: index + 1 })}</label>
                      <select
                        id={`picture-link-${picture.key}`}
                        value={picture.linkIndex ?? ''}
                        onChange={(e) => setPicture(picture.key, { linkIndex: e.target.value === '' ? null : Number(e.target.value) })}
                      >
                        <option value="">{t.text('pictures.whereUnknown')}</option>
                        {draft.links.map((link, i) => (link.trim() ? <option key={i} value={i}>{t.text('pictures.whereLink', { number: i + 1, link: link.trim() })}</option> : null))}
                      </select>
                    </div>
                  )}
                  <button type="button" className="button button-small" onClick={() => remove(picture.key)}>{t.text('pictures.remove', { name: picture.name })}</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {draft.under18 !== 'yes' && draft.pictures.some((p) => p.status === 'done' && p.kind === 'image') && (
        <fieldset className="field share">
          <legend>{t.text('pictures.shareLegend')}</legend>
          <div className="choice">
            <input type="checkbox" id="share-media" checked={draft.shareMedia} onChange={(e) => update({ shareMedia: e.target.checked })} aria-describedby="share-media-hint" />
            <label htmlFor="share-media">{t.text('pictures.shareLabel')}</label>
          </div>
          <p className="hint" id="share-media-hint">
            {t.text('pictures.shareHint')}
          </p>
        </fieldset>
      )}
    </>
  );
}

export function StatementStep({ draft, update, errorOf }: StepProps) {
  const t = useT();
  const affirmedError = errorOf('goodFaith.affirmed');
  const id = fieldId('goodFaith.affirmed');
  return (
    <>
      <p>{t.text('statement.intro')}</p>
      <div className={affirmedError ? 'field field-error' : 'field'}>
        {affirmedError && <p className="error-text" id={`${id}-error`}><ErrorPrefix />{affirmedError}</p>}
        <div className="choice">
          <input type="checkbox" id={id} checked={draft.goodFaithAffirmed} onChange={(e) => update({ goodFaithAffirmed: e.target.checked })} aria-invalid={affirmedError ? true : undefined} aria-describedby={affirmedError ? `${id}-error` : undefined} />
          <label htmlFor={id}>{t.text('statement.goodFaith')}</label>
        </div>
      </div>
      <Field id={fieldId('goodFaith.statement')} label={t.text('statement.what')} hint={t.text('statement.whatHint')} error={errorOf('goodFaith.statement')}>
        {(aria) => <textarea {...aria} rows={4} value={draft.goodFaithStatement} onChange={(e) => update({ goodFaithStatement: e.target.value })} />}
      </Field>
    </>
  );
}

export function ContactStep({ draft, update, errorOf }: StepProps) {
  const t = useT();
  const contactError = errorOf('contact');
  return (
    <>
      <p>{t.text('contact.intro')}</p>
      {contactError && <p className="error-text" id={fieldId('contact')}><ErrorPrefix />{contactError}</p>}
      <Field id={fieldId('contact.email')} label={t.text('contact.email')} error={errorOf('contact.email')}>
        {(aria) => <input {...aria} type="email" autoComplete="email" value={draft.email} onChange={(e) => update({ email: e.target.value })} />}
      </Field>
      {draft.email.trim() && (
        <fieldset className="field">
          <legend>{t.text('contact.notifyLegend')}</legend>
          <div className="choice">
            <input type="checkbox" id="notify-email" checked={draft.notifyByEmail} onChange={(e) => update({ notifyByEmail: e.target.checked })} aria-describedby="notify-email-hint" />
            <label htmlFor="notify-email">{t.text('contact.notifyLabel')}</label>
          </div>
          <p className="hint" id="notify-email-hint">{t.text('contact.notifyHint')}</p>
        </fieldset>
      )}
      <Field id={fieldId('contact.phone')} label={t.text('contact.phone')} hint={t.text('contact.phoneHint')} error={errorOf('contact.phone')}>
        {(aria) => <input {...aria} type="tel" autoComplete="tel" value={draft.phone} onChange={(e) => update({ phone: e.target.value })} />}
      </Field>
      <Field id={fieldId('jurisdiction')} label={t.text('contact.location')} hint={t.text('contact.locationHint')} error={errorOf('jurisdiction')}>
        {(aria) => (
          <select {...aria} value={draft.location} onChange={(e) => update({ location: REQUESTER_LOCATIONS.find((code) => code === e.target.value) ?? '' })}>
            <option value="">{t.text('contact.location.none')}</option>
            {REQUESTER_LOCATIONS.map((code) => <option key={code} value={code}>{t.text(`contact.location.${code}`)}</option>)}
          </select>
        )}
      </Field>
    </>
  );
}

export function SignStep({ draft, update, errorOf }: StepProps) {
  const t = useT();
  return (
    <>
      <p>{t.text('sign.intro')}</p>
      <blockquote className="statement" id="signed-statement">{t.text('sign.statement')}</blockquote>
      <Field id={fieldId('signature.fullName')} label={t.text('sign.label')} hint={draft.fullName.trim() ? t.text('sign.hint', { name: draft.fullName.trim() }) : t.text('sign.hintNoName')} error={errorOf('signature.fullName')}>
        {(aria) => <input {...aria} type="text" autoComplete="name" value={draft.signatureName} onChange={(e) => update({ signatureName: e.target.value })} />}
      </Field>
    </>
  );
}

export function ReviewStep({ draft, goTo }: StepProps) {
  const t = useT();
  const links = draft.links.map((l) => l.trim()).filter(Boolean);
  const pictures = draft.pictures.filter((p) => p.status === 'done');
  const row = (label: string, value: React.ReactNode, step: Parameters<StepProps['goTo']>[0]) => (
    <div className="review-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
      <dd><button type="button" className="button-link" onClick={() => goTo(step)}>{t.text('review.change')}<span className="visually-hidden"> {label.toLowerCase()}</span></button></dd>
    </div>
  );
  return (
    <>
      <p>{t.text('review.intro')}</p>
      <dl className="review-list">
        {row(t.text('review.who'), draft.role === 'representative' ? t.text('review.whoRepresentative', { name: draft.fullName, depicted: draft.depictedPersonName, relationship: draft.relationship }) : t.text('review.whoSelf', { name: draft.fullName }), 'about')}
        {row(t.text('review.links'), links.length ? <ul>{links.map((l, i) => <li key={i} className="break">{l}</li>)}</ul> : t.text('review.noLinks'), 'links')}
        {row(t.text('review.pictures'), pictures.length ? t.text(draft.shareMedia ? 'review.picturesShared' : 'review.picturesCount', { count: pictures.length }) : t.text('review.noPictures'), 'pictures')}
        {row(t.text('review.what'), draft.goodFaithStatement, 'statement')}
        {row(t.text('review.contact'), draft.notifyByEmail && draft.email.trim() ? t.text('review.contactNotify', { contact: [draft.email, draft.phone].filter(Boolean).join(', ') }) : [draft.email, draft.phone].filter(Boolean).join(', '), 'contact')}
        {row(t.text('review.signed'), draft.signatureName, 'sign')}
        {draft.under18 === 'yes' && row(t.text('review.age'), t.text('review.ageUnder18'), 'about')}
        {draft.location && row(t.text('review.location'), t.text(`contact.location.${draft.location}`), 'contact')}
      </dl>
    </>
  );
}
