import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { I18nProvider } from '../i18n/I18n.tsx';
import { publicCatalogues } from '../i18n/public-catalogues.ts';
import '../shared/styles.css';
import { leaveAgainIfExited } from './QuickExit.tsx';

// Back or Forward onto a page of ours after a quick exit in this tab: leave again before drawing anything.
if (!leaveAgainIfExited()) createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider catalogues={publicCatalogues}>
      <App />
    </I18nProvider>
  </StrictMode>,
);
