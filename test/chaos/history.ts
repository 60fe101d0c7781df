import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { FaultEvent } from './fault-schedule';

/** The run itself: what was asked for, so the history says how to replay it. */
export interface RunRecord {
  type: 'run';
  t: number;
  seed: number;
  options: Record<string, unknown>;
  /** Conflict policy per content type (a ship edit may win over a deletion under some). */
  policies: Record<string, string>;
  replay: string;
  startedAt: string;
}

/** An API request and what came back (or that nothing did: `error`, status null). */
export interface OpRecord {
  type: 'op';
  id: number;
  /** The node asked: `ship-a`, `master-1`... */
  node: string;
  /** Who asked: `crew-ship-a-1`, `operator-2`, `resolver`, `healer`... */
  client: string;
  /** Sent and answered, ms since the run started. */
  t0: number;
  t1: number;
  method: string;
  path: string;
  body?: unknown;
  status: number | null;
  response?: unknown;
  error?: string;
}

/** A fault done (`start`, written once it is in effect, with the time it began) or undone. */
export interface FaultRecord {
  type: 'fault';
  t: number;
  phase: 'start' | 'end';
  fault: FaultEvent;
  /** Set when doing or undoing it failed (the run goes on). */
  error?: string;
}

/** A process that stopped or started outside the schedule (crash, supervisor restart). */
export interface ProcessRecord {
  type: 'process';
  t: number;
  node: string;
  event: 'exit' | 'start' | 'start-failed';
  detail?: string;
  /** For an exit: the process had been ready (answered its readiness probe) before it. */
  ready?: boolean;
}

export interface PhaseRecord {
  type: 'phase';
  t: number;
  name: 'setup' | 'workload' | 'heal' | 'quiesce' | 'final-state' | 'done';
  detail?: string;
}

export type HistoryRecord = RunRecord | OpRecord | FaultRecord | ProcessRecord | PhaseRecord;

/** The run's history as JSON lines, each appended as it happens (a crash of the runner keeps them). */
export class HistoryWriter {
  private readonly started = Date.now();
  private nextOpId = 1;

  constructor(readonly file: string) {
    writeFileSync(file, '');
  }

  /** Milliseconds since the run started. */
  now(): number {
    return Date.now() - this.started;
  }

  opId(): number {
    return this.nextOpId++;
  }

  write(record: HistoryRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }
}

export function readHistory(file: string): HistoryRecord[] {
  return parseHistory(readFileSync(file, 'utf8'));
}

export function parseHistory(text: string): HistoryRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as HistoryRecord;
      } catch {
        throw new Error(`history line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
      }
    });
}
