import { useState } from 'react';
import { navigate, usePath } from '../shared/router.ts';
import { Confirmation } from './Confirmation.tsx';
import { Landing } from './Landing.tsx';
import { Layout } from './Layout.tsx';
import { RequestForm, type ResumedRequest } from './request/RequestForm.tsx';
import { ResumeDraft } from './ResumeDraft.tsx';
import type { SubmittedCase } from './request/submit.ts';
import { Status } from './Status.tsx';

const TITLES: Record<string, string> = {
  '/': 'Get intimate pictures taken down',
  '/request': 'Ask for removal',
  '/request/done': 'Request received',
  '/request/resume': 'Finish a saved request',
  '/status': 'Check your request',
};

export function App() {
  const path = usePath();
  // The case number and PIN live only in memory: never in the address bar, history or storage.
  const [submitted, setSubmitted] = useState<SubmittedCase>();
  // A saved request being finished: its code lives only in memory too.
  const [resumed, setResumed] = useState<ResumedRequest>();
  document.title = `${TITLES[path] ?? 'Page not found'} – Take it down`;
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
  else {
    page = (
      <>
        <h1>Page not found</h1>
        <p>Check the address, or go to the <a href="/">start page</a>.</p>
      </>
    );
  }
  return <Layout>{page}</Layout>;
}
