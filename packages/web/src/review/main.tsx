import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n/I18n.tsx';
import { reviewCatalogues } from '../i18n/review-catalogues.ts';
import { ReviewApp } from './ReviewApp.tsx';
import '../shared/styles.css';

document.body.classList.add('console');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider catalogues={reviewCatalogues}>
      <ReviewApp />
    </I18nProvider>
  </StrictMode>,
);
