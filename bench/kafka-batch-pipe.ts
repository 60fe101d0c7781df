/**
 * The global ValidationPipe on received Kafka batches, in one process (no Kafka, no database):
 * µs per message for a batch of master updates (2 KB documents, as a ship receives a burst) and
 * of ship-change envelopes (100 changes each, as the master receives a backlog), through the
 * apps' pipe. Compare builds by running this script in each, alternately. Prints a table, writes
 * JSON to bench/results/; never pass/fail.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/kafka-batch-pipe.ts \
 *     [--batches 40] [--rounds 3]
 */
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { createValidationPipe, EnvelopeBatchDto } from '@offline-sync/sync-core';
import * as path from 'node:path';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { round, sizedData, smallData } from './lib/measure';
import { writeResultFile } from './lib/report';

const PAYLOAD: ArgumentMetadata = { type: 'body', metatype: EnvelopeBatchDto, data: '' };

function envelope(kind: string, payload: Record<string, unknown>, i: number) {
  return {
    schemaVersion: 2,
    messageId: uuidv7(),
    sender: kind === 'master-update' ? 'master' : 'ship-a',
    kind,
    timestamp: '2024-01-15T10:30:00.000Z',
    payload,
    keyId: 'key-1',
    signature: 'A'.repeat(86),
    proof: { index: i % 128, size: 128, path: Array.from({ length: 7 }, () => 'B'.repeat(43)) },
  };
}

function masterUpdate(i: number): Record<string, unknown> {
  return envelope(
    'master-update',
    {
      type: 'article',
      documentId: uuidv4(),
      locale: '',
      version: 12,
      deleted: false,
      data: sizedData(i, 2048),
      author: 'ship:ship-a',
      updatedAt: '2024-01-15T10:30:00.000Z',
      origin: { shipId: 'ship-a', changeId: uuidv7() },
    },
    i,
  );
}

function shipChanges(i: number): Record<string, unknown> {
  const changes = Array.from({ length: 100 }, (_, c) => ({
    changeId: uuidv7(),
    seq: i * 100 + c + 1,
    op: 'create',
    type: 'article',
    documentId: uuidv4(),
    locale: 'en',
    baseVersion: 0,
    fields: smallData(c, 'bench'),
    editedAt: '2024-01-15T10:30:00.000Z',
  }));
  return envelope('ship-changes', { changes }, i);
}

/** A batch as the transport builds it from fetched messages (fresh objects, parsed JSON). */
function batch(size: number, make: (i: number) => Record<string, unknown>) {
  return {
    topic: 'sync.topic',
    partition: 0,
    messages: Array.from({ length: size }, (_, i) => {
      const raw = JSON.stringify(make(i));
      return {
        offset: String(i),
        key: 'ship-a',
        timestamp: '1763900000000',
        headers: {},
        size: Buffer.byteLength(raw),
        value: JSON.parse(raw) as Record<string, unknown>,
        raw,
      };
    }),
  };
}

/** µs per message: the pipe's own time over `batches` fresh batches (building them not counted). */
async function perMessage(
  pipe: PipeTransform,
  make: () => ReturnType<typeof batch>,
  batches: number,
): Promise<number> {
  let spent = 0n;
  let messages = 0;
  for (let b = 0; b < batches; b += 1) {
    const input = make();
    const started = process.hrtime.bigint();
    await pipe.transform(input, PAYLOAD);
    spent += process.hrtime.bigint() - started;
    messages += input.messages.length;
  }
  return Number(spent) / 1000 / messages;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const batches = option('--batches', 40);
  const rounds = option('--rounds', 3);
  const pipe = createValidationPipe();
  const cases: [string, () => ReturnType<typeof batch>][] = [
    ['250 master updates, 2 KB documents', () => batch(250, masterUpdate)],
    ['20 ship-change envelopes of 100 changes', () => batch(20, shipChanges)],
  ];
  const rows: { batch: string; usPerMessage: number }[] = [];
  console.log(`node ${process.version}, best of ${rounds} rounds of ${batches} batches`);
  console.log('| batch | µs/message |');
  console.log('|---|---|');
  for (const [label, make] of cases) {
    await perMessage(pipe, make, Math.ceil(batches / 4)); // warm-up
    let best = Infinity;
    for (let r = 0; r < rounds; r += 1)
      best = Math.min(best, await perMessage(pipe, make, batches));
    rows.push({ batch: label, usPerMessage: best });
    console.log(`| ${label} | ${round(best, 2)} |`);
  }
  const file = writeResultFile(path.join(__dirname, 'results'), 'kafka-batch-pipe', {
    node: process.version,
    batches,
    rounds,
    rows,
  });
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

void main();
