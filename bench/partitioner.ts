/**
 * Choosing partitions alone, in one process: keyed messages/s through kafkajs' default partitioner
 * and through KeyHashPartitioner (the same partition for every key, checked here too), in rounds
 * that alternate so both see the same machine load. Keys are master-update keys (type, document
 * id, locale); a send of the master's outbox relay carries 500. Prints a table; never pass/fail.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/partitioner.ts [--rounds 5]
 */
import { KeyHashPartitioner, masterUpdateKey } from '@offline-sync/sync-core';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';

const SEND = 500;
const SENDS_PER_ROUND = 200;

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const metadata: PartitionMetadata[] = Array.from({ length: 6 }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  partitionErrorCode: 0,
  replicas: [0],
  isr: [0],
}));
const messages = Array.from({ length: SEND }, () => ({
  key: masterUpdateKey('item', uuidv7(), 'en'),
  value: '',
}));

const contenders = {
  'kafkajs DefaultPartitioner': Partitioners.DefaultPartitioner(),
  KeyHashPartitioner: KeyHashPartitioner(),
};
for (const message of messages) {
  const args = { topic: 't', partitionMetadata: metadata, message };
  if (contenders.KeyHashPartitioner(args) !== contenders['kafkajs DefaultPartitioner'](args)) {
    throw new Error(`partitions differ for key ${message.key}`);
  }
}

const best = new Map<string, number>();
for (let round = 0; round < rounds; round += 1) {
  for (const [name, partitioner] of Object.entries(contenders)) {
    const start = process.hrtime.bigint();
    for (let send = 0; send < SENDS_PER_ROUND; send += 1) {
      for (const message of messages)
        partitioner({ topic: 't', partitionMetadata: metadata, message });
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best.set(name, Math.max(best.get(name) ?? 0, (SEND * SENDS_PER_ROUND) / seconds));
  }
}
const baseline = best.get('kafkajs DefaultPartitioner') ?? 1;
console.log(
  '| partitioner | keyed messages/s (best of %d rounds) | µs per send of %d | vs kafkajs |',
  rounds,
  SEND,
);
console.log('|---|---|---|---|');
for (const [name, perSecond] of best) {
  console.log(
    `| ${name} | ${Math.round(perSecond).toLocaleString('en')} | ${((SEND / perSecond) * 1e6).toFixed(0)} | ${(perSecond / baseline).toFixed(1)}× |`,
  );
}
