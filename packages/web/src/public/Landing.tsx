/**
 * The plain-language notice of the process (§3(a)(2)): what we do, what happens next, how long it takes,
 * what we cannot do, and where to get support. Written for a reading age of about 12 (US grade 8 or lower):
 * short sentences, common words, no blame.
 */
import { useT } from './i18n.ts';
import { Link } from './Layout.tsx';

export function Landing() {
  const t = useT();
  return (
    <article className="landing">
      <h1>{t.text('landing.heading')}</h1>
      <p className="lead">{t.text('landing.lead1')}</p>
      <p className="lead">{t.text('landing.lead2')}</p>
      <p><Link to="/request" className="button button-primary">{t.text('landing.ask')}</Link></p>
      <p><Link to="/status">{t.text('landing.check')}</Link></p>
      <p><Link to="/request/resume">{t.text('landing.resume')}</Link></p>

      <h2>{t.text('landing.next.heading')}</h2>
      <ol className="steps-list">
        <li>{t.text('landing.next.1')}</li>
        <li>{t.text('landing.next.2')}</li>
        <li>{t.text('landing.next.3')}</li>
        <li>{t.text('landing.next.4')}</li>
        <li>{t.text('landing.next.5')}</li>
      </ol>

      <h2>{t.text('landing.time.heading')}</h2>
      <p>{t.text('landing.time.text')}</p>

      <h2>{t.text('landing.cannot.heading')}</h2>
      <ul>
        <li>{t.text('landing.cannot.1')}</li>
        <li>{t.text('landing.cannot.2')}</li>
        <li>{t.text('landing.cannot.3')}</li>
      </ul>

      <h2 id="support">{t.text('landing.support.heading')}</h2>
      <ul>
        <li>{t.text('landing.support.1')}</li>
        <li>{t.text('landing.support.2')}</li>
        <li>{t.text('landing.support.3')}</li>
        <li>{t.text('landing.support.4')}</li>
      </ul>
    </article>
  );
}
