/** The reviewer console: sign-in, then the pages the signed-in role may use. */
import { useEffect, useState, type ReactNode } from 'react';
import { navigate, usePath } from '../shared/router.ts';
import { AuditPage } from './AuditPage.tsx';
import { CompliancePage } from './CompliancePage.tsx';
import { ItemPage } from './ItemPage.tsx';
import { LoginPage } from './LoginPage.tsx';
import { QueuePage } from './QueuePage.tsx';
import { SecondFactorPage } from './SecondFactorPage.tsx';
import { currentSession, permissionsOf, signOut, type StaffSession } from './session.ts';

function NavLink({ to, children, current }: { to: string; children: ReactNode; current: boolean }) {
  return (
    <a href={to} aria-current={current ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(to); }}>
      {children}
    </a>
  );
}

export function ReviewApp() {
  const currentPath = usePath();
  const [session, setSession] = useState<StaffSession | null>();
  useEffect(() => {
    void currentSession().then((s) => setSession(s ?? null));
  }, []);

  if (session === undefined) return <main id="main"><p>Loading…</p></main>;
  if (session === null) return <LoginPage onSignedIn={setSession} />;

  const can = permissionsOf(session.user.role);
  const home = can.review ? '/review' : can.audit ? '/review/audit' : '/review/compliance';
  // The console's address opens the start page of the role: the queue, or the audit log for auditors.
  const path = currentPath === '/review/' ? '/review' : currentPath === '/review' ? home : currentPath;
  let page: ReactNode;
  let title: string;
  const itemMatch = /^\/review\/items\/([^/]+)$/.exec(path);
  const refresh = () => void currentSession().then((s) => setSession(s ?? null));
  if (session.mustSetUpSecondFactor || path === '/review/second-factor') {
    // Where a second factor is required, an account without one sees nothing else until it is set up.
    title = 'Second factor';
    page = <SecondFactorPage session={session} onDone={refresh} />;
  } else if (itemMatch && can.review) {
    title = 'Item';
    page = <ItemPage itemId={decodeURIComponent(itemMatch[1])} session={session} />;
  } else if (path === '/review/senior' && can.seniorQueue) {
    title = 'Senior queue';
    page = <QueuePage senior />;
  } else if (path === '/review/audit' && can.audit) {
    title = 'Audit log';
    page = <AuditPage />;
  } else if (path === '/review/compliance' && can.compliance) {
    title = 'Compliance report';
    page = <CompliancePage />;
  } else if ((path === '/review' || path === '/review/') && can.review) {
    title = 'Review queue';
    page = <QueuePage senior={false} />;
  } else {
    title = 'Not available';
    page = (
      <>
        <h1>This page is not available to you</h1>
        <p>Your role ({session.user.role}) cannot open this page. <NavLink to={home} current={false}>Go to your start page</NavLink>.</p>
      </>
    );
  }
  document.title = `${title} – Review console`;
  return (
    <>
      <a className="skip-link" href="#main">Skip to main content</a>
      <header>
        <nav className="console-nav" aria-label="Console">
          <strong>Review console</strong>
          {can.review && <NavLink to="/review" current={path === '/review' || path.startsWith('/review/items')}>Queue</NavLink>}
          {can.seniorQueue && <NavLink to="/review/senior" current={path === '/review/senior'}>Senior queue</NavLink>}
          {can.audit && <NavLink to="/review/audit" current={path === '/review/audit'}>Audit log</NavLink>}
          {can.compliance && <NavLink to="/review/compliance" current={path === '/review/compliance'}>Compliance</NavLink>}
          {session.secondFactor !== 'provider' && <NavLink to="/review/second-factor" current={path === '/review/second-factor'}>Second factor</NavLink>}
          <span className="who">
            {session.user.username} ({session.user.role}){session.user.demo ? ', demo account' : ''}{' '}
            <button type="button" className="button-link" onClick={() => void signOut().then(() => setSession(null))}>Sign out</button>
          </span>
        </nav>
        {session.demoData && (
          <p className="demo-banner" role="note">
            <strong>Demo data.</strong> This server was started with demo data (<code>takedown serve --demo</code>): the cases marked Demo are made up. Start it without <code>--demo</code> for real use.
          </p>
        )}
      </header>
      <main id="main">{page}</main>
    </>
  );
}
