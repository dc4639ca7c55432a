import { parseArgs } from 'node:util';
import { systemClock } from '@takedown/core';
import { PLATFORM_SCOPES } from '../../platform/api-key.ts';
import { addPlatformKey, listPlatforms, PlatformInputError, revokePlatformKey, setWebhook } from '../../services/platform-accounts.ts';
import { changePlatformHosts, platformHosts } from '../../services/platform-hosts.ts';
import { platformJurisdiction, setPlatformJurisdiction } from '../../services/platform-jurisdiction.ts';
import { CONTENT_PLACEHOLDER, reportButtonSnippet, reportLinkUrl } from '../../platform/report-snippets.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { withStore as withCliStore, type CliStore } from '../with-store.ts';

/** Opens the store, runs `work`, maps input errors to exit code 2, and always closes the database. */
export async function withStore(command: string, work: (store: CliStore) => Promise<number>): Promise<number> {
  try {
    return await withCliStore(work);
  } catch (error) {
    if (error instanceof PlatformInputError) {
      console.error(`takedown ${command}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

const addHelp = `Usage: takedown platform add <name> [--scope ${PLATFORM_SCOPES.join(',')}]

Registers a platform (or adds a key to an existing one) and prints its API key ONCE: only a hash of it is
stored. Scopes (default: all but banks and exchange): content (content index), check (upload checks), removals (acknowledge
removals), webhooks (set the endpoint), hma (HMA-compatible lookups and hashing, docs/hma-compatibility.md),
banks (add hashes to imported banks over the HMA routes), exchange (another deployment following this
one's feed: give it a key with --scope exchange only). Uses the server's database (DATABASE_URL or ./data); with the
embedded database, stop the server first.`;

export const platformAddCommand: CliCommand = {
  help: addHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { scope: { type: 'string', multiple: true } } });
    if (positionals.length !== 1) throw new UsageError('give exactly one platform name.');
    const scopes = (values.scope ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    return withStore('platform add', async ({ database }) => {
      const key = await addPlatformKey(database, systemClock, { name: positionals[0], scopes }, 'cli');
      console.log(`${key.created ? 'Registered platform' : 'New key for platform'} "${positionals[0]}" (scopes: ${key.scopes.join(', ')}).`);
      console.log(`API key (shown once, store it now): ${key.token}`);
      console.log(`Use it as: Authorization: Bearer ${key.token}`);
      return 0;
    });
  },
};

export const platformListCommand: CliCommand = {
  help: 'Usage: takedown platform list [--json]\n\nLists platforms with their key ids, scopes and webhook URL. Keys themselves are never shown again.',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    return withStore('platform list', async ({ database }) => {
      const platforms = await listPlatforms(database);
      if (values.json) console.log(JSON.stringify(platforms, null, 2));
      else {
        for (const p of platforms) {
          console.log(`${p.name}  webhook: ${p.webhookUrl ?? '(not set)'}  jurisdiction: ${p.jurisdiction ?? '(not set)'}`);
          for (const k of p.keys) console.log(`  key ${k.keyId}  ${k.scopes.join(',')}  ${k.revoked ? 'REVOKED' : 'active'}  created ${k.createdAt.toISOString()}`);
        }
        if (platforms.length === 0) console.log('No platforms yet: takedown platform add <name>');
      }
      return 0;
    });
  },
};

export const platformRevokeCommand: CliCommand = {
  help: 'Usage: takedown platform revoke <key id>\n\nThe key id is the part after "tdk_" and before the next "_" (see takedown platform list).',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError('give exactly one key id.');
    return withStore('platform revoke', async ({ database }) => {
      const revoked = await revokePlatformKey(database, systemClock, positionals[0], 'cli');
      if (!revoked) {
        console.error(`takedown platform revoke: no active key with id "${positionals[0]}".`);
        return 2;
      }
      console.log(`Revoked key ${positionals[0]}.`);
      return 0;
    });
  },
};

export const platformWebhookCommand: CliCommand = {
  help:
    'Usage: takedown platform webhook <name> <url>\n\nHTTPS to a public address only (TAKEDOWN_OUTBOUND_ALLOWED_HOSTS allows internal hosts, TAKEDOWN_OUTBOUND_ALLOW_HTTP=1 plain HTTP on a development server). Prints a new signing secret once; the old one stops working.',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 2) throw new UsageError('give the platform name and the URL.');
    return withStore('platform webhook', async ({ config, database, keys }) => {
      const platform = (await listPlatforms(database)).find((p) => p.name === positionals[0]);
      if (!platform) {
        console.error(`takedown platform webhook: no platform named "${positionals[0]}".`);
        return 2;
      }
      const result = await setWebhook(database, keys, systemClock, platform.id, positionals[1], 'cli', config.outbound);
      console.log(`Webhook for "${platform.name}": ${result.url}`);
      console.log(`Signing secret (shown once): ${result.secret}`);
      return 0;
    });
  },
};

const hostsHelp = `Usage: takedown platform hosts <name> [--add <host>]… [--remove <host>]… [--json]

Lists the web hosts a platform serves, after adding and removing the ones given. A removal request for an
address on one of these hosts is sent to this platform alone, and only this platform may acknowledge it.
A host is a name such as example.com (IDNA names are stored as xn--…), or *.cdn.example.com for every host
below cdn.example.com; no scheme, port, path or IP address. The most specific declaration decides, and a
host belongs to one platform. Addresses on hosts no platform declares stay with staff.`;

export const platformHostsCommand: CliCommand = {
  help: hostsHelp,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { add: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one platform name.');
    return withStore('platform hosts', async ({ database }) => {
      const platform = (await listPlatforms(database)).find((p) => p.name === positionals[0]);
      if (!platform) {
        console.error(`takedown platform hosts: no platform named "${positionals[0]}".`);
        return 2;
      }
      const result = await changePlatformHosts(database, systemClock, platform.id, { add: values.add ?? [], remove: values.remove ?? [] }, 'cli');
      if (result.kind !== 'ok') {
        for (const problem of result.problems) console.error(`takedown platform hosts: ${problem.message}`);
        return 2;
      }
      if (values.json) console.log(JSON.stringify({ platform: platform.name, hosts: result.hosts, added: result.added, removed: result.removed }, null, 2));
      else if (result.hosts.length === 0) console.log(`"${platform.name}" declares no hosts: only its content index routes items to it.`);
      else {
        console.log(`Hosts of "${platform.name}":`);
        for (const host of result.hosts) console.log(`  ${host}`);
      }
      return 0;
    });
  },
};

const reportLinkHelp = `Usage: takedown platform report-link <name> [--url <address of the content>] [--lang en|it|es|fr|de]

Prints what the platform puts on its own pages so people can report from where the content is: the link for
its "report" menus and the report button's frame (docs/platform.md, "Report from your pages"), on the site's
public address (TAKEDOWN_PUBLIC_URL). Without --url, ${CONTENT_PLACEHOLDER} stands for the content's address,
URL-encoded. The button may be framed only by pages on the hosts the platform declares (takedown platform hosts).`;

export const platformReportLinkCommand: CliCommand = {
  help: reportLinkHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { url: { type: 'string' }, lang: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError('give exactly one platform name.');
    if (values.lang !== undefined && !['en', 'it', 'es', 'fr', 'de'].includes(values.lang)) throw new UsageError('--lang is one of en, it, es, fr, de.');
    return withStore('platform report-link', async ({ config, database }) => {
      const platform = (await listPlatforms(database)).find((p) => p.name === positionals[0]);
      if (!platform) {
        console.error(`takedown platform report-link: no platform named "${positionals[0]}".`);
        return 2;
      }
      const base = config.notify.publicUrl;
      console.log(`Link for the "report" menus of ${platform.name}:`);
      console.log(`  ${reportLinkUrl(base, platform.name, values.url, values.lang)}`);
      console.log('');
      console.log('Report button, to frame next to the content:');
      console.log(reportButtonSnippet(base, platform.name, values.url, values.lang));
      const hosts = await platformHosts(database, platform.id);
      console.log('');
      if (hosts.length === 0) {
        console.log(`"${platform.name}" declares no hosts yet: the form cannot tell whether a reported address is yours, and no page may frame the button. Declare them: takedown platform hosts ${platform.name} --add <host>`);
      } else {
        console.log(`Pages on these hosts may frame the button: ${hosts.join(', ')}`);
      }
      return 0;
    });
  },
};

const jurisdictionHelp = `Usage: takedown platform jurisdiction <name> [<code> | --clear] [--json]

Shows, sets or clears the jurisdiction a platform answers to (US, EU, UK, AU or one the deployment configures
in TAKEDOWN_JURISDICTIONS_FILE). A request for content on the platform's hosts runs on the shortest clock of
this setting and the location the requester states; with neither, the deployment's default applies
(TAKEDOWN_DEFAULT_JURISDICTION). Cases already filed keep their clock. Recorded in the audit log.`;

export const platformJurisdictionCommand: CliCommand = {
  help: jurisdictionHelp,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { clear: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give the platform name, and the jurisdiction code to set it.');
    if (values.clear && positionals.length === 2) throw new UsageError('give a code or --clear, not both.');
    return withStore('platform jurisdiction', async ({ config, database }) => {
      const platform = (await listPlatforms(database)).find((p) => p.name === positionals[0]);
      if (!platform) {
        console.error(`takedown platform jurisdiction: no platform named "${positionals[0]}".`);
        return 2;
      }
      const change = values.clear || positionals.length === 2;
      const result = change
        ? await setPlatformJurisdiction(database, systemClock, platform.id, values.clear ? null : positionals[1], 'cli', config.jurisdictions)
        : { kind: 'ok' as const, ...(await platformJurisdiction(database, platform.id, config.jurisdictions))! };
      if (result.kind === 'invalid') {
        console.error(`takedown platform jurisdiction: ${result.error.message}`);
        return 2;
      }
      if (result.kind === 'not_found') {
        console.error(`takedown platform jurisdiction: no platform named "${positionals[0]}".`);
        return 2;
      }
      if (values.json) console.log(JSON.stringify({ platform: platform.name, jurisdiction: result.jurisdiction, profile: result.profile }, null, 2));
      else if (result.jurisdiction === null) console.log(`"${platform.name}" sets no jurisdiction: the requester's location or the deployment default decides.`);
      else if (result.profile === null) console.log(`"${platform.name}" answers to ${result.jurisdiction}, which this deployment no longer configures: the setting is left out.`);
      else {
        const regulator = result.profile.regulator ? `, regulator: ${result.profile.regulator.name}` : '';
        console.log(`"${platform.name}" answers to ${result.jurisdiction} (${result.profile.removalDeadlineHours}-hour clock${regulator}).`);
      }
      return 0;
    });
  },
};
