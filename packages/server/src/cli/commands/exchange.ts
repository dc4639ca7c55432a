import { parseArgs } from 'node:util';
import { FEED_TRUST_LEVELS, isFeedTrust, systemClock } from '@takedown/core';
import { feedSigner, feedVerifier } from '../../crypto/feed-signing.ts';
import { probeStopNcii, STOPNCII_BASE_URL, type StopNciiKeys } from '../../net/stopncii-api.ts';
import { parseApiKey } from '../../platform/api-key.ts';
import { fetchFeedIdentity } from '../../services/exchange-follower.ts';
import { publishedFeedStatus } from '../../services/exchange-publish.ts';
import { followSource, listSources, sourceUrl, unfollowSource, type SourceStatus } from '../../services/exchange-sources.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withStore } from './platform.ts';

/** A source name from the URL's host and port: `https://hashes.example.org:8443` → `hashes.example.org-8443`. */
function nameFromUrl(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}${port ? `-${port}` : ''}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 41);
}

export const exchangeFollowCommand: CliCommand = {
  help: `Usage: takedown exchange follow <url> --key tdk_… --trust ${FEED_TRUST_LEVELS.join('|')} [--name NAME] [--public-key KEY]
       takedown exchange follow [<url>] --kind stopncii --key FETCH_KEY,SUBSCRIPTION_KEY [--feedback-key KEY] --trust review|block [--name NAME]

Follows another takedown deployment's feed of confirmed hashes and withdrawals. <url> is its base address
(https://…); --key is an API key it made for this deployment (there: takedown platform add <name> --scope
exchange). --trust says what its hashes may do here: review (a match goes to a person; the default choice for a
new partner) or block (an exact or near-exact match blocks an upload, as this deployment's own confirmed
hashes do). The hashes go into a bank of their own, "feed.<name>" (name: from the URL unless --name).
--public-key pins the source's signing key (the source prints it with takedown exchange status); without it,
the key the source announces now is pinned and printed: compare it with the source's operator. The running
server starts following within seconds; with the embedded database, stop the server first.

--kind stopncii follows StopNCII.org's hash API instead (<url> defaults to ${STOPNCII_BASE_URL}). --key takes
the FetchHashes function key and the subscription key, comma-separated (python-threatexchange's
TX_STOPNCII_KEYS order); --feedback-key is the SubmitFeedback function key, so reviewers' verdicts on
matches go back to StopNCII (without it they wait). The keys are checked with one small fetch first.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { key: { type: 'string' }, trust: { type: 'string' }, name: { type: 'string' }, 'public-key': { type: 'string' }, kind: { type: 'string', default: 'takedown' }, 'feedback-key': { type: 'string' } },
    });
    if (values.kind === 'stopncii') return followStopNcii(positionals, values);
    if (values.kind !== 'takedown') throw new UsageError('--kind is takedown (the default) or stopncii.');
    if (values['feedback-key'] !== undefined) throw new UsageError('--feedback-key is for --kind stopncii only.');
    if (positionals.length !== 1) throw new UsageError('give the address of the deployment to follow.');
    const url = sourceUrl(positionals[0]);
    if (!url) throw new UsageError(`"${positionals[0]}" is not a base address such as https://takedown.example.org (http or https, no query).`);
    if (!values.key || !parseApiKey(values.key)) throw new UsageError('--key takes the API key the source made for you (tdk_…).');
    if (!values.trust || !isFeedTrust(values.trust)) throw new UsageError(`--trust is one of ${FEED_TRUST_LEVELS.join(', ')}.`);
    const pinned = values['public-key'];
    if (pinned !== undefined && !feedVerifier(pinned)) throw new UsageError('--public-key takes the 43-character key the source prints with `takedown exchange status`.');
    let identity: { feed: string; publicKey: string };
    try {
      identity = await fetchFeedIdentity(url, values.key, 15_000);
    } catch (error) {
      console.error(`takedown exchange follow: cannot reach ${url}: ${(error as Error).message}`);
      return 2;
    }
    const verifier = feedVerifier(identity.publicKey);
    if (!verifier || verifier.feedId !== identity.feed) {
      console.error('takedown exchange follow: the source announced a key that does not fit its feed id; nothing was changed.');
      return 2;
    }
    if (pinned !== undefined && pinned !== identity.publicKey) {
      console.error(`takedown exchange follow: the source announces key ${identity.publicKey}, not the one given with --public-key; nothing was changed.`);
      return 2;
    }
    const name = values.name ?? nameFromUrl(url);
    return withStore('exchange follow', async ({ database, keys }) => {
      await followSource(database, keys, systemClock, { name, url, apiKey: values.key!, publicKey: identity.publicKey, feedId: identity.feed, trust: values.trust as 'review' | 'block' }, 'cli');
      console.log(`Following "${name}" (${url}), trust: ${values.trust}, bank feed.${name}.`);
      console.log(`Feed ${identity.feed}, public key ${identity.publicKey}${pinned ? ' (as pinned)' : ': compare it with the source\'s operator'}.`);
      return 0;
    });
  },
};

/** `exchange follow --kind stopncii`: the keys checked against StopNCII, then recorded like any source. */
async function followStopNcii(positionals: string[], values: { key?: string; trust?: string; name?: string; 'public-key'?: string; 'feedback-key'?: string }): Promise<number> {
  if (positionals.length > 1) throw new UsageError('give at most one address (StopNCII\'s API, by default ' + STOPNCII_BASE_URL + ').');
  const url = sourceUrl(positionals[0] ?? STOPNCII_BASE_URL);
  if (!url) throw new UsageError(`"${positionals[0]}" is not a base address such as ${STOPNCII_BASE_URL} (http or https, no query).`);
  const [fetchKey, subscriptionKey, ...rest] = (values.key ?? '').split(',').map((k) => k.trim());
  if (!fetchKey || !subscriptionKey || rest.length > 0) throw new UsageError('--key takes the FetchHashes function key and the subscription key, comma-separated: --key FETCH_KEY,SUBSCRIPTION_KEY.');
  if (values['feedback-key'] === '') throw new UsageError('--feedback-key takes the SubmitFeedback function key StopNCII gave you.');
  if (!values.trust || !isFeedTrust(values.trust)) throw new UsageError(`--trust is one of ${FEED_TRUST_LEVELS.join(', ')}.`);
  if (values['public-key'] !== undefined) throw new UsageError('StopNCII signs no pages: --public-key is for takedown sources only.');
  const keys: StopNciiKeys = { fetchKey, subscriptionKey, ...(values['feedback-key'] ? { feedbackKey: values['feedback-key'] } : {}) };
  try {
    await probeStopNcii(url, keys, 15_000);
  } catch (error) {
    console.error(`takedown exchange follow: StopNCII at ${url} did not accept a fetch: ${(error as Error).message}; nothing was changed.`);
    return 2;
  }
  const name = values.name ?? 'stopncii';
  const trust = values.trust;
  return withStore('exchange follow', async ({ database, keys: storeKeys }) => {
    await followSource(database, storeKeys, systemClock, { kind: 'stopncii', name, url, stopNcii: keys, trust }, 'cli');
    console.log(`Following StopNCII as "${name}" (${url}), trust: ${trust}, bank feed.${name}.`);
    if (!keys.feedbackKey) console.log('No --feedback-key: reviewers\' verdicts on its hashes will wait until StopNCII is followed with one.');
    return 0;
  });
}

function sourceLine(s: SourceStatus): string {
  const health = s.lastError && (!s.lastSuccessAt || (s.lastErrorAt && s.lastErrorAt > s.lastSuccessAt)) ? `FAILING (${s.failures}×: ${s.lastError})` : 'ok';
  return `${s.name}${s.kind === 'stopncii' ? ' (StopNCII)' : ''}  ${s.url}  trust ${s.trust}  ${s.hashes} hashes  cursor ${s.cursor}  ${health}  feedback sent ${s.feedbackSent}, waiting ${s.feedbackPending}`;
}

export const exchangeListCommand: CliCommand = {
  help: 'Usage: takedown exchange list [--all] [--json]\n\nThe deployments (and StopNCII) this one follows (--all: also those unfollowed), with trust, hashes held and health.',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } } });
    return withStore('exchange list', async ({ database }) => {
      const sources = await listSources(database, { all: values.all });
      if (values.json) console.log(JSON.stringify(sources, null, 2));
      else if (sources.length === 0) console.log('Following no deployment: takedown exchange follow <url> --key … --trust review');
      else for (const s of sources) console.log(sourceLine(s));
      return 0;
    });
  },
};

export const exchangeUnfollowCommand: CliCommand = {
  help: 'Usage: takedown exchange unfollow <name>\n\nStops following a source: its hashes leave this deployment at once (its bank is disabled and kept empty).',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError('give the name of the source (see takedown exchange list).');
    return withStore('exchange unfollow', async ({ database }) => {
      const removed = await unfollowSource(database, systemClock, positionals[0], 'cli');
      console.log(`No longer following "${positionals[0]}"; ${removed} hashes removed.`);
      return 0;
    });
  },
};

export const exchangeStatusCommand: CliCommand = {
  help: `Usage: takedown exchange status [--json]

This deployment's own feed (its id and public key, to give to followers; active and withdrawn hashes;
feedback received) and the health of every source it follows.`,
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    return withStore('exchange status', async ({ database, keys }) => {
      const signer = feedSigner(keys.exchangeSigning);
      const feed = { feed: signer.feedId, publicKey: signer.publicKey, ...(await publishedFeedStatus(database)) };
      const following = await listSources(database);
      if (values.json) {
        console.log(JSON.stringify({ feed, following }, null, 2));
        return 0;
      }
      console.log(`This deployment's feed: ${feed.feed}`);
      console.log(`  public key: ${feed.publicKey}`);
      console.log(`  ${feed.active} hashes published, ${feed.withdrawn} withdrawn, cursor head ${feed.head}`);
      console.log(`  feedback from followers: ${feed.feedback.confirmed} confirmed, ${feed.feedback.falsePositive} false positive`);
      console.log(following.length === 0 ? 'Following no deployment.' : 'Following:');
      for (const s of following) console.log(`  ${sourceLine(s)}`);
      return 0;
    });
  },
};
