/**
 * For a person who was under 18 when the pictures were made: NCMEC's own routes, in plain words. Such pictures
 * are child sexual abuse material in law, so no copy is ever sent, and the platform must report them.
 */
import { NCMEC_ROUTES } from '@takedown/core';

export function MinorHelp() {
  return (
    <aside className="notice minor-help" aria-labelledby="minor-help-title" data-testid="minor-help">
      <h2 id="minor-help-title">Help for pictures of someone under 18</h2>
      <p>You are not in trouble. We will still work on this request, and we will never ask for a copy of the pictures.</p>
      <p>These services can help too. They are run by NCMEC, a US child safety charity:</p>
      <ul>
        <li>
          <a href={NCMEC_ROUTES.takeItDown} rel="noreferrer">Take It Down</a>: helps stop the pictures being posted on many sites. The pictures stay on your device.
        </li>
        <li>
          <a href={NCMEC_ROUTES.cyberTipline} rel="noreferrer">CyberTipline</a>: report it, or call 1-800-843-5678 (free, day and night).
        </li>
      </ul>
    </aside>
  );
}
