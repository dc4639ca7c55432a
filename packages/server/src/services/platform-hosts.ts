import type { Clock } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { hostsDeclaredByOthers, hostsOfPlatform, replaceHostsOfPlatform } from '../store/platform-hosts.ts';
import { MAX_DECLARED_HOSTS, readHostDeclaration } from '../platform/host-declaration.ts';

/** A change to a platform's hosts: the whole list, or hosts to add and to remove. */
export type HostChange = { set: readonly string[] } | { add?: readonly string[]; remove?: readonly string[] };

/** `field` is the list and position the problem is at (`hosts.2`, `add.0`), for the API's and the CLI's message. */
export interface HostProblem {
  field: string;
  message: string;
}

export type HostChangeResult =
  | { kind: 'ok'; hosts: string[]; added: string[]; removed: string[] }
  | { kind: 'invalid'; problems: HostProblem[] }
  /** Hosts another platform declares: ask the operator (a host belongs to one platform). */
  | { kind: 'taken'; problems: HostProblem[] };

/** Rolls the change back when another platform took one of its hosts while it ran. */
class HostsTaken extends Error {
  readonly hosts: string[];
  constructor(hosts: string[]) {
    super('hosts taken meanwhile');
    this.hosts = hosts;
  }
}

function clashes(taken: ReadonlySet<string>, given: readonly string[], field: string): HostProblem[] {
  return given.flatMap((host, index) => (taken.has(host) ? [{ field: `${field}.${index}`, message: `${host} is declared by another platform; a host belongs to one platform (ask the operator).` }] : []));
}

function readAll(list: readonly string[], field: string, problems: HostProblem[]): string[] {
  const hosts: string[] = [];
  list.forEach((raw, index) => {
    const read = readHostDeclaration(raw);
    if (read.ok) hosts.push(read.host);
    else problems.push({ field: `${field}.${index}`, message: read.message });
  });
  return hosts;
}

/**
 * Declares the web hosts a platform serves, in one transaction with its audit event: items whose address has
 * one of them are routed to this platform (their removal instruction goes to it alone, and only it may
 * acknowledge). Every host is checked and normalised first; a host another platform declares is refused
 * (each belongs to one platform, so routing never depends on who declared first within a request).
 */
export async function changePlatformHosts(database: OpenDatabase, clock: Clock, platformId: string, change: HostChange, actor: string): Promise<HostChangeResult> {
  const problems: HostProblem[] = [];
  const set = 'set' in change ? readAll(change.set, 'hosts', problems) : undefined;
  const add = 'set' in change ? [] : readAll(change.add ?? [], 'add', problems);
  const remove = 'set' in change ? [] : readAll(change.remove ?? [], 'remove', problems);
  if (problems.length > 0) return { kind: 'invalid', problems };
  const now = clock.now();
  const field = set ? 'hosts' : 'add';
  const given = set ?? add;
  try {
    return await database.transaction(async (tx): Promise<HostChangeResult> => {
      const current = await hostsOfPlatform(tx, platformId);
      const target = [...new Set(set ?? [...current.filter((h) => !remove.includes(h)), ...add])].sort();
      if (target.length > MAX_DECLARED_HOSTS) {
        return { kind: 'invalid', problems: [{ field, message: `A platform declares at most ${MAX_DECLARED_HOSTS} hosts (this would be ${target.length}); use wildcards such as *.cdn.example.com.` }] };
      }
      const taken = new Set(await hostsDeclaredByOthers(tx, platformId, target));
      if (taken.size > 0) return { kind: 'taken', problems: clashes(taken, given, field) };
      const { added, removed, taken: meanwhile } = await replaceHostsOfPlatform(tx, now, platformId, target);
      if (meanwhile.length > 0) throw new HostsTaken(meanwhile);
      if (added.length > 0 || removed.length > 0) await appendAudit(tx, now, [{ actor, action: 'platform.hosts_changed', data: { platformId, added, removed } }]);
      return { kind: 'ok', hosts: target, added, removed };
    });
  } catch (error) {
    if (error instanceof HostsTaken) return { kind: 'taken', problems: clashes(new Set(error.hosts), given, field) };
    throw error;
  }
}

/** The hosts a platform declares, sorted. */
export async function platformHosts(database: OpenDatabase, platformId: string): Promise<string[]> {
  return database.transaction((tx) => hostsOfPlatform(tx, platformId));
}
