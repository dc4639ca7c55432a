import type { ReactNode } from 'react';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { navigate } from '../shared/router.ts';
import { useT } from './i18n.ts';
import { QuickExit } from './QuickExit.tsx';

/** A link that changes page without reloading (the request form keeps its state in memory only). */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a
      href={to}
      className={className}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">{t.text('site.skipLink')}</a>
      <header className="site-header">
        <QuickExit />
        <Link to="/" className="site-name">{t.text('site.name')}</Link>
        <LanguageSwitch label={t.text('site.language')} />
      </header>
      <main id="main">{children}</main>
      <footer className="site-footer">
        <nav aria-label={t.text('site.footerNav')}>
          <ul>
            <li><Link to="/">{t.text('site.footer.howItWorks')}</Link></li>
            <li><Link to="/request">{t.text('site.footer.ask')}</Link></li>
            <li><Link to="/status">{t.text('site.footer.check')}</Link></li>
            <li><Link to="/#support">{t.text('site.footer.support')}</Link></li>
          </ul>
        </nav>
        <p>{t.text('site.footer.promise')}</p>
      </footer>
    </>
  );
}
