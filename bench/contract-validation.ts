/**
 * Contract validation alone, in one process (no Kafka, no database): received payloads/s through
 * validateContract (the contracts' compiled schemas), for valid payloads and for a batch refused
 * for one bad change (the path that words the errors a dead letter stores). Compare builds by
 * running this script in each, alternately. Prints a table; never pass/fail.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/contract-validation.ts \
 *     [--ms 400] [--rounds 3]
 */
import type { TSchema } from '@sinclair/typebox';
import {
  type ChangeOutcomeDto,
  ChangeOutcomesPayloadDto,
  MasterUpdateDto,
  type ShipChangeDto,
  ShipChangesPayloadDto,
  validateContract,
} from '@offline-sync/sync-core';
import { v7 as uuidv7, v4 as uuidv4 } from 'uuid';
import { round, sizedData, smallData } from './lib/measure';

interface Args {
  ms: number;
  rounds: number;
}

interface Case {
  label: string;
  contract: TSchema;
  /** Distinct payloads, as received (parsed JSON), cycled through so no one object stays hot. */
  payloads: Record<string, unknown>[];
  valid: boolean;
}

const POOL = 32;

function parseArgs(argv: string[]): Args {
  const args: Args = { ms: 400, rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--ms') args.ms = value;
    else if (argv[i] === '--rounds') args.rounds = value;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

/** As the wire delivers it: parsed JSON, no shared objects. */
function received<T>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function shipChanges(batch: number, p: number): Record<string, unknown> {
  const changes: ShipChangeDto[] = Array.from({ length: batch }, (_, i) => {
    const create = i % 2 === 0;
    return {
      changeId: uuidv7(),
      seq: p * batch + i + 1,
      op: create ? 'create' : 'update',
      type: 'article',
      documentId: uuidv4(),
      locale: 'en',
      baseVersion: create ? 0 : 3,
      fields: create ? smallData(i, 'bench') : { title: `edit ${i}` },
      editedAt: new Date(Date.UTC(2024, 0, 15, 10, 30, i % 60)).toISOString(),
    };
  });
  return received({ changes });
}

/** A document of about 2 KB nested as rich-text editors store it, rather than one long string. */
function nestedData(i: number): Record<string, unknown> {
  const body = String(sizedData(i, 1400).body).split(' ');
  const blocks: unknown[] = [];
  for (let at = 0; at < body.length; at += 12) {
    blocks.push({ type: 'paragraph', children: [{ text: body.slice(at, at + 12).join(' ') }] });
  }
  return {
    title: `document ${i}`,
    tags: ['port', 'weather', 'notice'],
    seo: { slug: `document-${i}`, noindex: false },
    blocks,
  };
}

function masterUpdate(data: Record<string, unknown>): Record<string, unknown> {
  return received({
    type: 'article',
    documentId: uuidv4(),
    locale: '',
    version: 12,
    deleted: false,
    data,
    author: 'ship:ship-a',
    updatedAt: '2024-01-15T10:30:00.000Z',
    origin: { shipId: 'ship-a', changeId: uuidv7() },
  });
}

function changeOutcomes(batch: number, p: number): Record<string, unknown> {
  const outcomes: ChangeOutcomeDto[] = Array.from({ length: batch }, (_, i) => ({
    changeId: uuidv7(),
    seq: p * batch + i + 1,
    documentId: uuidv4(),
    type: 'article',
    locale: 'en',
    status: 'applied',
    version: 4,
  }));
  return received({ shipId: 'ship-a', outcomes });
}

function cases(): Case[] {
  const pool = <T>(make: (p: number) => T): T[] => Array.from({ length: POOL }, (_, p) => make(p));
  return [
    {
      label: 'ShipChangesPayload, 100 changes',
      contract: ShipChangesPayloadDto,
      payloads: pool((p) => shipChanges(100, p)),
      valid: true,
    },
    {
      label: 'MasterUpdate, 2 KB document (flat)',
      contract: MasterUpdateDto,
      payloads: pool((p) => masterUpdate(sizedData(p, 2048))),
      valid: true,
    },
    {
      label: 'MasterUpdate, 2 KB document (nested)',
      contract: MasterUpdateDto,
      payloads: pool((p) => masterUpdate(nestedData(p))),
      valid: true,
    },
    {
      label: 'ChangeOutcomesPayload, 100 outcomes',
      contract: ChangeOutcomesPayloadDto,
      payloads: pool((p) => changeOutcomes(100, p)),
      valid: true,
    },
    {
      label: 'ShipChangesPayload, 100 changes, [50] refused',
      contract: ShipChangesPayloadDto,
      payloads: pool((p) => {
        const payload = shipChanges(100, p) as { changes: Record<string, unknown>[] };
        payload.changes[50].baseVersion = -1;
        return payload;
      }),
      valid: false,
    },
  ];
}

/** Payloads validated per second over about `ms` of wall time. */
function rate({ contract, payloads, valid }: Case, ms: number): number {
  let count = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(ms) * 1_000_000n;
  let now = started;
  while (now < until) {
    for (const payload of payloads) {
      if (validateContract(contract, payload, 'payload').ok !== valid) {
        throw new Error(`a benchmark payload was ${valid ? 'refused' : 'accepted'}`);
      }
    }
    count += payloads.length;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - started) / 1e9);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  console.log(`node ${process.version}, ${args.rounds} rounds of ${args.ms} ms (best)`);
  console.log('| payload | payloads/s |');
  console.log('|---|---|');
  for (const bench of cases()) {
    rate(bench, args.ms / 4); // warm-up
    let best = 0;
    for (let r = 0; r < args.rounds; r += 1) best = Math.max(best, rate(bench, args.ms));
    console.log(`| ${bench.label} | ${round(best).toLocaleString('en-US')} |`);
  }
}

main();
