/** The seven steps of the request form. Each shows its errors next to the field that needs fixing. */
import { useEffect, useRef, useState } from 'react';
import { Field } from '../../shared/Field.tsx';
import { checkFileBeforeHashing, MAX_FILE_BYTES, formatMegabytes, mediaKindOf, NOT_MEDIA_HELP } from '../../hashing/file-checks.ts';
import { HashFailure, hashInWorker } from '../../hashing/hash-client.ts';
import { VideoHashError } from '../../hashing/video-hash-error.ts';
import { hashVideoInWorker } from '../../hashing/video-hash-client.ts';
import { GOOD_FAITH_LABEL, SIGNED_STATEMENT, type PictureEntry } from './draft.ts';
import { fieldId, type StepProps } from './step-props.ts';
import { AgeQuestion } from './AgeQuestion.tsx';

export function AboutStep({ draft, update, errorOf }: StepProps) {
  const roleError = errorOf('requester.role');
  return (
    <>
      <fieldset className={roleError ? 'field field-error' : 'field'} aria-describedby={roleError ? `${fieldId('requester.role')}-error` : undefined}>
        <legend>Who are you?</legend>
        {roleError && <p className="error-text" id={`${fieldId('requester.role')}-error`}><span className="visually-hidden">Error: </span>{roleError}</p>}
        <div className="choice">
          <input type="radio" id={fieldId('requester.role')} name="role" checked={draft.role === 'self'} onChange={() => update({ role: 'self' })} />
          <label htmlFor={fieldId('requester.role')}>I am the person in the pictures</label>
        </div>
        <div className="choice">
          <input type="radio" id="role-representative" name="role" checked={draft.role === 'representative'} onChange={() => update({ role: 'representative' })} />
          <label htmlFor="role-representative">I am acting for the person in the pictures (for example a parent, carer or lawyer)</label>
        </div>
      </fieldset>
      <Field id={fieldId('requester.fullName')} label="Your full name" hint="We keep it private. The person who posted the pictures will never see it." error={errorOf('requester.fullName')}>
        {(aria) => <input {...aria} type="text" autoComplete="name" value={draft.fullName} onChange={(e) => update({ fullName: e.target.value })} />}
      </Field>
      {draft.role === 'representative' && (
        <>
          <Field id={fieldId('requester.depictedPersonName')} label="Name of the person in the pictures" error={errorOf('requester.depictedPersonName')}>
            {(aria) => <input {...aria} type="text" value={draft.depictedPersonName} onChange={(e) => update({ depictedPersonName: e.target.value })} />}
          </Field>
          <Field id={fieldId('requester.relationship')} label="How are you connected to them?" hint='For example "parent" or "lawyer".' error={errorOf('requester.relationship')}>
            {(aria) => <input {...aria} type="text" value={draft.relationship} onChange={(e) => update({ relationship: e.target.value })} />}
          </Field>
        </>
      )}
      <AgeQuestion draft={draft} update={update} />
    </>
  );
}

export function LinksStep({ draft, update, errorOf }: StepProps) {
  const setLink = (index: number, value: string) =>
    update((d) => ({ ...d, links: d.links.map((l, i) => (i === index ? value : l)) }));
  return (
    <>
      <p>Copy the web address of each page that shows the pictures or videos. If you do not have a link, you can skip this step and choose the pictures on the next step.</p>
      {draft.links.map((link, index) => (
        <div className="link-row" key={index}>
          <Field id={fieldId(`links.${index}`)} label={`Link ${index + 1}`} hint={index === 0 ? 'It starts with https://' : undefined} error={errorOf(`links.${index}`)}>
            {(aria) => <input {...aria} type="url" inputMode="url" autoComplete="off" value={link} onChange={(e) => setLink(index, e.target.value)} />}
          </Field>
          {draft.links.length > 1 && (
            <button
              type="button"
              className="button button-small"
              onClick={() => update((d) => ({
                ...d,
                links: d.links.filter((_, i) => i !== index),
                pictures: d.pictures.map((p) => ({ ...p, linkIndex: p.linkIndex === index ? null : p.linkIndex !== null && p.linkIndex > index ? p.linkIndex - 1 : p.linkIndex })),
              }))}
            >
              Remove link {index + 1}
            </button>
          )}
        </div>
      ))}
      <button type="button" className="button" onClick={() => update((d) => ({ ...d, links: [...d.links, ''] }))}>
        Add another link
      </button>
    </>
  );
}

let pictureCounter = 0;

function Thumbnail({ file, name, kind }: { file: File | undefined; name: string; kind: 'image' | 'video' }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!file) return;
    // A blob: URL lives only in this tab: the thumbnail is drawn from the file on this device.
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  if (!url) return <div className="thumbnail" aria-hidden="true" />;
  return kind === 'video'
    ? <video className="thumbnail" src={url} muted preload="metadata" aria-label={`Your video ${name}`} />
    : <img className="thumbnail" src={url} alt={`Your picture ${name}`} />;
}

export function PicturesStep({ draft, update, errorOf, files }: StepProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const videoQueue = useRef<Promise<void>>(Promise.resolve());
  const links = draft.links.map((l) => l.trim()).filter(Boolean);

  const setPicture = (key: string, change: Partial<PictureEntry>) =>
    update((d) => ({ ...d, pictures: d.pictures.map((p) => (p.key === key ? { ...p, ...change } : p)) }));

  const hashPicture = (key: string, file: File) =>
    hashInWorker(file).then(
      (hashes) => {
        setPicture(key, { status: 'done', hashes: { pdq: hashes.pdq, pdqQuality: hashes.pdqQuality, md5: hashes.md5, sha256: hashes.sha256 } });
        setAnnouncement(`${file.name} is ready.`);
      },
      (error: unknown) => {
        const message = error instanceof HashFailure && error.code === 'not_an_image'
          ? `"${file.name}" is not a picture or video we can read. ${NOT_MEDIA_HELP}`
          : `We could not read "${file.name}". Try choosing it again, or use another copy.`;
        failed(key, message, error);
      },
    );

  // Videos are decoded with WebCodecs in a worker, one at a time; the demuxer and decoder code loads only
  // when someone chooses a video, so the form stays light for everyone else.
  const hashVideo = (key: string, file: File) => {
    videoQueue.current = videoQueue.current.then(() =>
      hashVideoInWorker(file, { onProgress: (done, total) => setPicture(key, { progress: { done, total } }) }).then(
        (hashes) => {
          // Only hashes leave the device: the frames' PDQ hashes, never the frames.
          const vpdq = hashes.vpdq.frames.length > 0 ? hashes.vpdq.frames : undefined;
          setPicture(key, { status: 'done', progress: undefined, hashes: { md5: hashes.md5, sha256: hashes.sha256, vpdq } });
          setAnnouncement(`${file.name} is ready.`);
        },
        (error: unknown) => {
          const message = error instanceof VideoHashError && error.code !== 'not_a_video'
            ? `${error.message} Leave "${file.name}" out and give the link instead.`
            : `"${file.name}" is not a picture or video we can read. ${NOT_MEDIA_HELP}`;
          failed(key, message, error);
        },
      ),
    );
  };

  const failed = (key: string, message: string, error: unknown) => {
    files.current.delete(key);
    setPicture(key, { status: 'error', error: message, errorDetail: error instanceof Error ? error.message : String(error) });
    setAnnouncement(message);
  };

  const addFiles = (chosen: FileList | null) => {
    if (!chosen) return;
    for (const file of Array.from(chosen)) {
      const key = `p${++pictureCounter}`;
      const problem = checkFileBeforeHashing(file);
      const kind = mediaKindOf(file) ?? 'image';
      const entry: PictureEntry = { key, name: file.name, size: file.size, kind, status: problem ? 'error' : 'hashing', error: problem?.message, linkIndex: null };
      update((d) => ({ ...d, pictures: [...d.pictures, entry] }));
      if (problem) {
        setAnnouncement(problem.message);
        continue;
      }
      files.current.set(key, file);
      setAnnouncement(`Working on ${file.name}…`);
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
        <h2>Your pictures stay on this device</h2>
        <p>We do not upload them. Your device makes a code from each picture, like a fingerprint. Only the code is sent. We use it to find the picture and its copies. The code cannot be turned back into the picture.</p>
      </div>
      <p>This step is optional if you gave a link. Adding the pictures helps us find copies.</p>
      {errorOf('items') && <p className="error-text" id={fieldId('items')}><span className="visually-hidden">Error: </span>{errorOf('items')}</p>}
      {errorOf('pictures') && <p className="error-text" id={fieldId('pictures')}><span className="visually-hidden">Error: </span>{errorOf('pictures')}</p>}
      <Field id="picture-files" label="Choose pictures or videos" hint={`Pictures: JPEG, PNG, WebP, GIF or BMP. Videos: MP4 or WebM. Up to ${formatMegabytes(MAX_FILE_BYTES)} each.`}>
        {(aria) => <input {...aria} ref={inputRef} type="file" accept="image/*,video/mp4,video/webm,video/ogg,video/quicktime" multiple onChange={(e) => addFiles(e.target.files)} aria-describedby={`${aria['aria-describedby'] ?? ''} picture-promise`.trim()} />}
      </Field>
      <p className="visually-hidden" aria-live="polite">{announcement}</p>
      {draft.pictures.length > 0 && (
        <ul className="pictures" aria-label="Your pictures">
          {draft.pictures.map((picture, index) => {
            const error = picture.error ?? errorOf(`pictures.${picture.key}`);
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
                  {picture.status === 'hashing' && <p className="picture-status">Working on it…{picture.progress ? ` ${picture.progress.done} of ${picture.progress.total} frames.` : ''}</p>}
                  {picture.status === 'done' && <p className="picture-status picture-ready">Ready. Fingerprint made on this device.</p>}
                  {error && <p className="error-text">{error}</p>}
                  {picture.status === 'done' && links.length > 0 && (
                    <div className="field">
                      <label htmlFor={`picture-link-${picture.key}`}>Where is {picture.kind === 'video' ? 'video' : 'picture'} {index + 1} posted?</label>
                      <select
                        id={`picture-link-${picture.key}`}
                        value={picture.linkIndex ?? ''}
                        onChange={(e) => setPicture(picture.key, { linkIndex: e.target.value === '' ? null : Number(e.target.value) })}
                      >
                        <option value="">I don't know / somewhere else</option>
                        {draft.links.map((link, i) => (link.trim() ? <option key={i} value={i}>Link {i + 1}: {link.trim()}</option> : null))}
                      </select>
                    </div>
                  )}
                  <button type="button" className="button button-small" onClick={() => remove(picture.key)}>Remove {picture.name}</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {draft.under18 !== 'yes' && draft.pictures.some((p) => p.status === 'done' && p.kind === 'image') && (
        <fieldset className="field share">
          <legend>Share a copy with our reviewers? (optional)</legend>
          <div className="choice">
            <input type="checkbox" id="share-media" checked={draft.shareMedia} onChange={(e) => update({ shareMedia: e.target.checked })} aria-describedby="share-media-hint" />
            <label htmlFor="share-media">Yes, send a copy of my pictures to the reviewers</label>
          </div>
          <p className="hint" id="share-media-hint">
            This can help a reviewer check your request faster. Only if you tick this box, the pictures are sent after your request. They are stored locked (encrypted). Reviewers see them blurred and grey first. Videos are never sent. If you do not tick it, nothing leaves this device.
          </p>
        </fieldset>
      )}
    </>
  );
}

export function StatementStep({ draft, update, errorOf }: StepProps) {
  const affirmedError = errorOf('goodFaith.affirmed');
  const id = fieldId('goodFaith.affirmed');
  return (
    <>
      <p>The law asks you to confirm that the pictures were shared without consent.</p>
      <div className={affirmedError ? 'field field-error' : 'field'}>
        {affirmedError && <p className="error-text" id={`${id}-error`}><span className="visually-hidden">Error: </span>{affirmedError}</p>}
        <div className="choice">
          <input type="checkbox" id={id} checked={draft.goodFaithAffirmed} onChange={(e) => update({ goodFaithAffirmed: e.target.checked })} aria-invalid={affirmedError ? true : undefined} aria-describedby={affirmedError ? `${id}-error` : undefined} />
          <label htmlFor={id}>{GOOD_FAITH_LABEL}</label>
        </div>
      </div>
      <Field id={fieldId('goodFaith.statement')} label="Tell us briefly what happened" hint="One or two sentences is enough. For example: “An ex-partner posted this without asking me.”" error={errorOf('goodFaith.statement')}>
        {(aria) => <textarea {...aria} rows={4} value={draft.goodFaithStatement} onChange={(e) => update({ goodFaithStatement: e.target.value })} />}
      </Field>
    </>
  );
}

export function ContactStep({ draft, update, errorOf }: StepProps) {
  const contactError = errorOf('contact');
  return (
    <>
      <p>We will use this only to tell you what happens with your request. Give at least one.</p>
      {contactError && <p className="error-text" id={fieldId('contact')}><span className="visually-hidden">Error: </span>{contactError}</p>}
      <Field id={fieldId('contact.email')} label="Email address" error={errorOf('contact.email')}>
        {(aria) => <input {...aria} type="email" autoComplete="email" value={draft.email} onChange={(e) => update({ email: e.target.value })} />}
      </Field>
      <Field id={fieldId('contact.phone')} label="Phone number" hint="Include the country code if you are outside the US, for example +44." error={errorOf('contact.phone')}>
        {(aria) => <input {...aria} type="tel" autoComplete="tel" value={draft.phone} onChange={(e) => update({ phone: e.target.value })} />}
      </Field>
    </>
  );
}

export function SignStep({ draft, update, errorOf }: StepProps) {
  return (
    <>
      <p>To sign, read the statement and type your full name.</p>
      <blockquote className="statement" id="signed-statement">{SIGNED_STATEMENT}</blockquote>
      <Field id={fieldId('signature.fullName')} label="Type your full name to sign" hint={`The same name as before: ${draft.fullName.trim() || 'your full name'}`} error={errorOf('signature.fullName')}>
        {(aria) => <input {...aria} type="text" autoComplete="name" value={draft.signatureName} onChange={(e) => update({ signatureName: e.target.value })} />}
      </Field>
    </>
  );
}

export function ReviewStep({ draft, goTo }: StepProps) {
  const links = draft.links.map((l) => l.trim()).filter(Boolean);
  const pictures = draft.pictures.filter((p) => p.status === 'done');
  const row = (label: string, value: React.ReactNode, step: Parameters<StepProps['goTo']>[0]) => (
    <div className="review-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
      <dd><button type="button" className="button-link" onClick={() => goTo(step)}>Change<span className="visually-hidden"> {label.toLowerCase()}</span></button></dd>
    </div>
  );
  return (
    <>
      <p>Check your answers. Then send your request.</p>
      <dl className="review-list">
        {row('Who you are', draft.role === 'representative' ? `${draft.fullName}, acting for ${draft.depictedPersonName} (${draft.relationship})` : `${draft.fullName}, the person in the pictures`, 'about')}
        {row('Links', links.length ? <ul>{links.map((l, i) => <li key={i} className="break">{l}</li>)}</ul> : 'None', 'links')}
        {row('Pictures', pictures.length ? `${pictures.length} (fingerprints only${draft.shareMedia ? ', and a copy shared with reviewers' : ''})` : 'None', 'pictures')}
        {row('What happened', draft.goodFaithStatement, 'statement')}
        {row('Contact', [draft.email, draft.phone].filter(Boolean).join(', '), 'contact')}
        {row('Signed by', draft.signatureName, 'sign')}
        {draft.under18 === 'yes' && row('Age', 'Under 18 when the pictures were made', 'about')}
      </dl>
    </>
  );
}
