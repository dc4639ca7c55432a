import { useState } from 'react';
import { navigate, usePath } from '../shared/router.ts';
import { Confirmation } from './Confirmation.tsx';
import { Landing } from './Landing.tsx';
import { Layout } from './Layout.tsx';
import { RequestForm } from './request/RequestForm.tsx';
import type { SubmittedCase } from './request/submit.ts';
import { Recover } from './Recover.tsx';
import { Status } from './Status.tsx';

const TITLES: Record<string, string> = {
  '/': 'Get intimate pictures taken down',
  '/request': 'Ask for removal',
  '/request/done': 'Request received',
  '/status': 'Check your request',
  '/recover': 'Get a new PIN',
};

export function App() {
  const path = usePath();
  // The case number and PIN live only in memory: never in the address bar, history or storage.
  const [submitted, setSubmitted] = useState<SubmittedCase>();
  document.title = `${TITLES[path] ?? 'Page not found'} – Take it down`;
  let page;
  if (path === '/') page = <Landing />;
  else if (path === '/request') {
    page = (
      <RequestForm
        onSubmitted={(result) => {
          setSubmitted(result);
          navigate('/request/done');
        }}
      />
    );
  } else if (path === '/request/done') page = <Confirmation result={submitted} />;
  else if (path === '/status') page = <Status />;
  else if (path === '/recover') page = <Recover />;
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
