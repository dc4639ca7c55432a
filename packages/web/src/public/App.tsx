import { useState } from 'react';
import { navigate, usePath } from '../shared/router.ts';
import { Confirmation } from './Confirmation.tsx';
import { useT, type PublicId } from './i18n.ts';
import { Landing } from './Landing.tsx';
import { Layout, Link } from './Layout.tsx';
import { RequestForm, type ResumedRequest } from './request/RequestForm.tsx';
import { ResumeDraft } from './ResumeDraft.tsx';
import type { SubmittedCase } from './request/submit.ts';
import { Recover } from './Recover.tsx';
import { Status } from './Status.tsx';

const TITLES: Record<string, PublicId> = {
  '/': 'title.landing',
  '/request': 'title.request',
  '/request/done': 'title.done',
  '/request/resume': 'title.resume',
  '/status': 'title.status',
  '/recover': 'title.recover',
};

export function App() {
  const path = usePath();
  const t = useT();
  // The case number and PIN live only in memory: never in the address bar, history or storage.
  const [submitted, setSubmitted] = useState<SubmittedCase>();
  // A saved request being finished: its code lives only in memory too.
  const [resumed, setResumed] = useState<ResumedRequest>();
  document.title = t.text('title.suffix', { title: t.text(TITLES[path] ?? 'title.notFound') });
  let page;
  if (path === '/') page = <Landing />;
  else if (path === '/request') {
    page = (
      <RequestForm
        key={resumed?.token ?? 'new'}
        resumed={resumed}
        onSubmitted={(result) => {
          setSubmitted(result);
          setResumed(undefined);
          navigate('/request/done');
        }}
      />
    );
  } else if (path === '/request/done') page = <Confirmation result={submitted} />;
  else if (path === '/request/resume') {
    page = (
      <ResumeDraft
        onResumed={(found) => {
          setResumed(found);
          navigate('/request');
        }}
      />
    );
  }
  else if (path === '/status') page = <Status />;
  else if (path === '/recover') page = <Recover />;
  else {
    page = (
      <>
        <h1>{t.text('notFound.heading')}</h1>
        <p>{t.rich('notFound.text', { link: (chunks) => <Link to="/">{chunks}</Link> })}</p>
      </>
    );
  }
  return <Layout>{page}</Layout>;
}
