/** The reviewer console: sign-in, then the pages the signed-in role may use. */
import { useEffect, useState, type ReactNode } from 'react';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { navigate, usePath } from '../shared/router.ts';
import { AppealPage } from './AppealPage.tsx';
import { AppealsPage } from './AppealsPage.tsx';
import { AuditPage } from './AuditPage.tsx';
import { CompliancePage } from './CompliancePage.tsx';
import { ItemPage } from './ItemPage.tsx';
import { LoginPage } from './LoginPage.tsx';
import { MessagesPage } from './MessagesPage.tsx';
import { QueuePage } from './QueuePage.tsx';
import { RegulatorNoticesPage } from './RegulatorNoticesPage.tsx';
import { useT, type ReviewId } from './i18n.ts';
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
  const t = useT();
  const [session, setSession] = useState<StaffSession | null>();
  useEffect(() => {
    void currentSession().then((s) => setSession(s ?? null));
  }, []);

  if (session === undefined) return <main id="main"><p>{t.text('console.loading')}</p></main>;
  if (session === null) return <LoginPage onSignedIn={setSession} />;

  const can = permissionsOf(session.user.role);
  const home = can.review ? '/review' : can.audit ? '/review/audit' : '/review/compliance';
  // The console's address opens the start page of the role: the queue, or the audit log for auditors.
  const path = currentPath === '/review/' ? '/review' : currentPath === '/review' ? home : currentPath;
  let page: ReactNode;
  let title: ReviewId;
  const itemMatch = /^\/review\/items\/([^/]+)$/.exec(path);
  const appealMatch = /^\/review\/appeals\/([^/]+)$/.exec(path);
  const refresh = () => void currentSession().then((s) => setSession(s ?? null));
  if (session.mustSetUpSecondFactor || path === '/review/second-factor') {
    // Where a second factor is required, an account without one sees nothing else until it is set up.
    title = 'title.secondFactor';
    page = <SecondFactorPage session={session} onDone={refresh} />;
  } else if (appealMatch && can.appeals) {
    title = 'title.appeal';
    page = <AppealPage appealId={decodeURIComponent(appealMatch[1])} username={session.user.username} />;
  } else if (path === '/review/appeals' && can.appeals) {
    title = 'title.appeals';
    page = <AppealsPage username={session.user.username} />;
  } else if (itemMatch && can.review) {
    title = 'title.item';
    page = <ItemPage itemId={decodeURIComponent(itemMatch[1])} session={session} />;
  } else if (path === '/review/senior' && can.seniorQueue) {
    title = 'title.seniorQueue';
    page = <QueuePage senior />;
  } else if (path === '/review/notices' && can.notices) {
    title = 'title.notices';
    page = <RegulatorNoticesPage />;
  } else if (path === '/review/audit' && can.audit) {
    title = 'title.audit';
    page = <AuditPage />;
  } else if (path === '/review/compliance' && can.compliance) {
    title = 'title.compliance';
    page = <CompliancePage exports={can.exports} />;
  } else if (path === '/review/messages' && can.compliance) {
    title = 'title.messages';
    page = <MessagesPage />;
  } else if ((path === '/review' || path === '/review/') && can.review) {
    title = 'title.queue';
    page = <QueuePage senior={false} />;
  } else {
    title = 'console.notAvailableTitle';
    page = (
      <>
        <h1>{t.text('console.notAvailable')}</h1>
        <p>{t.rich('console.notAvailableText', { role: t.text(`role.${session.user.role}`), link: (chunks) => <NavLink to={home} current={false}>{chunks}</NavLink> })}</p>
      </>
    );
  }
  document.title = t.text('console.title', { title: t.text(title) });
  return (
    <>
      <a className="skip-link" href="#main">{t.text('console.skipLink')}</a>
      <header>
        <nav className="console-nav" aria-label={t.text('console.nav')}>
          <strong>{t.text('console.name')}</strong>
          {can.review && <NavLink to="/review" current={path === '/review' || path.startsWith('/review/items')}>{t.text('console.queue')}</NavLink>}
          {can.seniorQueue && <NavLink to="/review/senior" current={path === '/review/senior'}>{t.text('console.seniorQueue')}</NavLink>}
          {can.appeals && <NavLink to="/review/appeals" current={path.startsWith('/review/appeals')}>{t.text('console.appeals')}</NavLink>}
          {can.notices && <NavLink to="/review/notices" current={path === '/review/notices'}>{t.text('console.notices')}</NavLink>}
          {can.audit && <NavLink to="/review/audit" current={path === '/review/audit'}>{t.text('console.audit')}</NavLink>}
          {can.compliance && <NavLink to="/review/compliance" current={path === '/review/compliance'}>{t.text('console.compliance')}</NavLink>}
          {can.compliance && <NavLink to="/review/messages" current={path === '/review/messages'}>{t.text('console.messages')}</NavLink>}
          {session.secondFactor !== 'provider' && <NavLink to="/review/second-factor" current={path === '/review/second-factor'}>{t.text('console.secondFactor')}</NavLink>}
          <span className="who">
            {t.text(session.user.demo ? 'console.whoDemo' : 'console.who', { username: session.user.username, role: t.text(`role.${session.user.role}`) })}{' '}
            <button type="button" className="button-link" onClick={() => void signOut().then(() => setSession(null))}>{t.text('console.signOut')}</button>
          </span>
        </nav>
        {session.demoData && (
          <p className="demo-banner" role="note">
            {t.rich('console.demoBanner', { strong: (chunks) => <strong>{chunks}</strong>, code: (chunks) => <code>{chunks}</code> })}
          </p>
        )}
        <LanguageSwitch label={t.text('console.language')} />
      </header>
      <main id="main">{page}</main>
    </>
  );
}
