import type { ReactNode } from 'react';
import { QuickExit } from './QuickExit.tsx';
import { navigate } from '../shared/router.ts';

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
  return (
    <>
      <a className="skip-link" href="#main">Skip to main content</a>
      <header className="site-header">
        <QuickExit />
        <Link to="/" className="site-name">Take it down</Link>
      </header>
      <main id="main">{children}</main>
      <footer className="site-footer">
        <nav aria-label="Site">
          <ul>
            <li><Link to="/">How this works</Link></li>
            <li><Link to="/request">Ask for removal</Link></li>
            <li><Link to="/status">Check a request</Link></li>
            <li><Link to="/#support">Get support</Link></li>
          </ul>
        </nav>
        <p>We never ask for a password. We never charge a fee.</p>
      </footer>
    </>
  );
}
