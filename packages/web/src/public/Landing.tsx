/**
 * The plain-language notice of the process (§3(a)(2)): what we do, what happens next, how long it takes,
 * what we cannot do, and where to get support. Written for a reading age of about 12 (US grade 8 or lower):
 * short sentences, common words, no blame.
 */
import { Link } from './Layout.tsx';

export function Landing() {
  return (
    <article className="landing">
      <h1>Get intimate pictures of you taken down</h1>
      <p className="lead">
        Did someone share a nude or sexual picture or video of you without your OK? This includes fake ones made
        with AI. You can ask us to take it down. It is free. You do not need an account.
      </p>
      <p className="lead">This is not your fault. You are not in trouble.</p>
      <p><Link to="/request" className="button button-primary">Ask for removal</Link></p>
      <p><Link to="/status">I already asked. Check my request.</Link></p>
      <p><Link to="/request/resume">Finish a saved request</Link></p>

      <h2>What happens next</h2>
      <ol className="steps-list">
        <li>You tell us where the pictures are. You can also pick the pictures on your device.</li>
        <li>Your pictures stay on your device. We only get a code made from each picture, like a fingerprint. The code cannot be turned back into the picture.</li>
        <li>You get a case number and a PIN. Keep them. You need them to check your request.</li>
        <li>A trained person looks at your request. We take down what breaks the rules.</li>
        <li>We use the codes to find copies and stop them being posted again.</li>
      </ol>

      <h2>How long it takes</h2>
      <p>We take pictures down as fast as we can. The law says no later than 48 hours (2 days) after we get your request.</p>

      <h2>What we cannot do</h2>
      <ul>
        <li>We can only remove things from our own site. We cannot remove things from other sites.</li>
        <li>We cannot tell you who posted it.</li>
        <li>We cannot give legal advice.</li>
      </ul>

      <h2 id="support">Get support</h2>
      <ul>
        <li>If you are in danger now, call 911 (or your local emergency number).</li>
        <li>Cyber Civil Rights Initiative helpline: 844-878-2274. It is free and open day and night.</li>
        <li>StopNCII.org can help stop your pictures being shared on other sites too.</li>
        <li>If you are under 18, NCMEC's Take It Down service can help: takeitdown.ncmec.org</li>
      </ul>
    </article>
  );
}
