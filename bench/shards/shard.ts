/**
 * One shard of the content index, as a service: holds the synthetic hashes with ids `first` … `first + count − 1`
 * in a MatchIndex and answers radius-31 lookups sent to `subject` over NATS (request/reply). Every shard
 * subscribes to the same subject, so one request reaches them all (scatter) and the caller gathers one reply
 * from each. Started by bench/shards.ts:
 *   node bench/shards/shard.ts <nats-url> <subject> <first> <count>
 * Request: the query's 8 words (32 bytes). Reply: JSON { shard, matches: [{ id, distance }] }.
 */
import { connect } from 'nats';
import { MatchIndex } from '@takedown/match';
import { syntheticHashes } from './synthetic-hashes.ts';

const [natsUrl, subject, firstArg, countArg] = process.argv.slice(2);
const first = Number(firstArg);
const count = Number(countArg);
const { ids, words } = syntheticHashes(first, count);
const index = MatchIndex.build(ids, words);
const connection = await connect({ servers: natsUrl });
const subscription = connection.subscribe(subject);
const encoder = new TextEncoder();
// The subscription reaches the server with the next flush: only then can requests find this shard.
await connection.flush();
// The parent reads this line to know the shard is loaded and listening.
console.log(JSON.stringify({ ready: true, first, count }));
process.on('SIGTERM', () => void connection.drain().then(() => process.exit(0)));

for await (const message of subscription) {
  const query = new Uint32Array(message.data.buffer.slice(message.data.byteOffset, message.data.byteOffset + 32));
  const matches = index.query(query, { radius: 31 });
  message.respond(encoder.encode(JSON.stringify({ shard: first, matches })));
}
