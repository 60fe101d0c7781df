/**
 * A fleet of ships played at the protocol level by one process: every ship has its own id and
 * Ed25519 key, sends signed heartbeats at its interval and signed change envelopes, keyed by its
 * id, as a ship's relay does; a sample of them reads its outcome topic (and some master-updates)
 * and verifies what the master sent. Cheap per ship: one timer for the fleet, one producer, a
 * produce request for whatever came due since the last one, signatures on the thread pool.
 */
import {
  ENVELOPE_PRODUCER_CONFIG,
  KeyHashPartitioner,
  KeyRing,
  MessageKind,
  encodeEnvelope,
  ensureTopics,
  envelopeSendSettings,
  outcomeTopicConfig,
  outcomesTopicFor,
  signEnvelopeAsync,
  type ChangeOutcomeDto,
  type MasterUpdateDto,
  type SyncTopicNames,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig, type Producer } from 'kafkajs';
import type { SimShipIdentity } from './fleet-keys';
import { HeartbeatSchedule } from './heartbeat-schedule';
import { ShipReader } from './ship-reader';
import { SimShip } from './sim-ship';

export interface FleetSimOptions {
  kafka: KafkaConfig;
  topics: SyncTopicNames;
  ships: readonly SimShipIdentity[];
  masterPublicKey: KeyObject;
  /** The content type the ships write (must be declared on the master). */
  contentType: string;
  /** SYNC_HEARTBEAT_INTERVAL of every ship. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** Crew changes per second over the whole fleet, spread evenly over the ships that are up. */
  changesPerSecond?: number;
  /**
   * A ship seals what its crew wrote at most this often (its SYNC_DEBOUNCE_MS), so one envelope
   * carries one change at a few changes a minute per ship and many at many a second. Default 1 s.
   */
  sealIntervalMs?: number;
  /** SYNC_BATCH_SIZE: changes per envelope at most. Default 100. */
  maxChangesPerEnvelope?: number;
  /** Ships that read their outcome topics (spread over the fleet). Default 0. */
  sampled?: number;
  /**
   * Which ships' crews write: every ship (default), or only the sampled ones (a test on a shared
   * broker then creates only their outcome topics).
   */
  writers?: 'all' | 'sampled';
  /** Of the sampled ships, how many also read master-updates. Default 0. */
  updateReaders?: number;
  /** Outcome topics the sampled ships create, as ships do at start-up (SYNC_RETENTION_DAYS). */
  retentionDays?: number;
  /** Consumer groups of the sampled ships are `<groupPrefix>.<ship id>`. */
  groupPrefix?: string;
  tickMs?: number;
  appVersion?: string;
}

export interface FleetSimStats {
  heartbeatsSent: number;
  envelopesSent: number;
  changesSent: number;
  requests: number;
  sendErrors: number;
  lastSendError: string | null;
  /** Sampled ships' outcomes by status (each change's first outcome). */
  outcomes: Record<string, number>;
  /** Outcomes received again for a change that had one (redeliveries, resolutions). */
  repeatedOutcomes: number;
  /** Master updates read by the update readers. */
  updatesRead: number;
  /** Messages the sampled ships could not verify. */
  refused: string[];
}

interface Outgoing {
  topic: string;
  key: string;
  value: Buffer;
  heartbeat: boolean;
  changes: number;
}

/** Messages per produce request at most (a tick's worth at 10,000 ships and 2,000 changes/s). */
const MAX_REQUEST_MESSAGES = 2000;

export class FleetSim {
  readonly ships: SimShip[];
  readonly sampled: SimShip[];
  /** The ships whose crews write, in the order the changes go round. */
  private readonly writers: SimShip[];
  private readonly byId: Map<string, SimShip>;
  private readonly heartbeatIntervalMs: number;
  private readonly sealIntervalMs: number;
  private readonly maxChangesPerEnvelope: number;
  private readonly tickMs: number;
  private readonly appVersion: string;
  private readonly sampledIds: Set<string>;
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private readonly readers: ShipReader[] = [];
  private schedule: HeartbeatSchedule | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private changeCredit = 0;
  private nextWriter = 0;
  private changesPerSecond: number;
  private readonly withPending = new Set<SimShip>();
  private readonly queue: Outgoing[] = [];
  private readonly signing = new Set<Promise<void>>();
  private sending: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Sampled ships' changes without an outcome yet: change id → when it was sealed. */
  private readonly awaiting = new Map<string, { ship: SimShip; sealedAt: number }>();
  /** Sampled ships' changes whose master update the update readers have not seen yet. */
  private readonly updatePending = new Map<string, number>();
  private outcomeDelays: number[] = [];
  private updateDelays: number[] = [];
  private readonly statsValue: FleetSimStats = {
    heartbeatsSent: 0,
    envelopesSent: 0,
    changesSent: 0,
    requests: 0,
    sendErrors: 0,
    lastSendError: null,
    outcomes: {},
    repeatedOutcomes: 0,
    updatesRead: 0,
    refused: [],
  };

  constructor(private readonly options: FleetSimOptions) {
    this.ships = options.ships.map((identity) => new SimShip(identity));
    this.byId = new Map(this.ships.map((ship) => [ship.id, ship]));
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 30_000;
    this.sealIntervalMs = options.sealIntervalMs ?? 1000;
    this.maxChangesPerEnvelope = options.maxChangesPerEnvelope ?? 100;
    this.tickMs = options.tickMs ?? 100;
    this.appVersion = options.appVersion ?? 'fleet-sim';
    this.changesPerSecond = options.changesPerSecond ?? 0;
    const sampled = Math.min(options.sampled ?? 0, this.ships.length);
    const step = sampled > 0 ? this.ships.length / sampled : 0;
    this.sampled = Array.from({ length: sampled }, (_, i) => this.ships[Math.floor(i * step)]);
    this.sampledIds = new Set(this.sampled.map((ship) => ship.id));
    this.writers = options.writers === 'sampled' ? this.sampled : this.ships;
    this.kafka = new Kafka({ logLevel: logLevel.NOTHING, ...options.kafka });
  }

  /**
   * Connects, creates the sampled ships' outcome topics (as a ship does at start-up), starts
   * their readers and then the fleet's clock: heartbeats and changes from now on.
   */
  async start(): Promise<void> {
    const producer = this.kafka.producer({
      ...ENVELOPE_PRODUCER_CONFIG,
      createPartitioner: KeyHashPartitioner,
    });
    await producer.connect();
    this.producer = producer;
    if (this.sampled.length > 0) {
      // Sampled ships may share an outcome topic (grouped outcome topics).
      const outcomeTopics = new Set(
        this.sampled.map((ship) => outcomesTopicFor(this.options.topics, ship.id)),
      );
      await ensureTopics(
        this.kafka,
        [...outcomeTopics].map((topic) => ({
          topic,
          numPartitions: 1,
          config: outcomeTopicConfig(this.options.retentionDays ?? 90),
        })),
      );
      const ring = KeyRing.fromEntries([['master', this.options.masterPublicKey]]);
      const updateReaders = this.options.updateReaders ?? 0;
      this.sampled.forEach((ship, i) => {
        this.readers.push(
          new ShipReader(
            this.kafka,
            ship,
            {
              outcomes: outcomesTopicFor(this.options.topics, ship.id),
              masterUpdates: i < updateReaders ? this.options.topics.masterUpdates : null,
            },
            ring,
            `${this.options.groupPrefix ?? 'fleet-sim'}.${ship.id}`,
            {
              outcome: (s, outcome, at) => this.onOutcome(s, outcome, at),
              update: (_ship, update, at) => this.onUpdate(update, at),
              refused: (s, detail) => this.statsValue.refused.push(`${s.id}: ${detail}`),
            },
          ),
        );
      });
      // A few at a time: each joins its own group.
      for (let i = 0; i < this.readers.length; i += 8) {
        await Promise.all(this.readers.slice(i, i + 8).map((reader) => reader.start()));
      }
    }
    this.lastTick = Date.now();
    this.schedule = new HeartbeatSchedule(this.ships.length, this.heartbeatIntervalMs, Date.now());
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  /** Every ship that is up sends a heartbeat now (a fleet coming online at once). */
  heartbeatAll(): void {
    const now = Date.now();
    for (const ship of this.ships) if (!ship.silent) this.queueHeartbeat(ship, now);
  }

  /** Changes the aggregate change rate from now on. */
  setChangeRate(changesPerSecond: number): void {
    this.changesPerSecond = changesPerSecond;
    this.changeCredit = 0;
  }

  /** These ships go silent at once: no heartbeat, no change, as a ship whose link is down. */
  silence(ids: Iterable<string>): void {
    for (const id of ids) this.ship(id).silent = true;
  }

  /** These ships come back: each sends a heartbeat at once, as a ship whose link returned. */
  resume(ids: Iterable<string>): void {
    const now = Date.now();
    for (const id of ids) {
      const ship = this.ship(id);
      if (!ship.silent) continue;
      ship.silent = false;
      this.queueHeartbeat(ship, now);
    }
  }

  get stats(): FleetSimStats {
    return this.statsValue;
  }

  /** Bytes the sampled ships read from their outcome topics: their own, and others' passed over. */
  outcomeBytes(): { own: number; others: number } {
    const total = { own: 0, others: 0 };
    for (const reader of this.readers) {
      total.own += reader.outcomeBytes.own;
      total.others += reader.outcomeBytes.others;
    }
    return total;
  }

  /** Messages sealed but not yet acknowledged by the broker. */
  get unsent(): number {
    return this.queue.length + this.signing.size;
  }

  /** Sampled changes sent that have no outcome yet. */
  undelivered(): Array<{ shipId: string; changeId: string; sealedAt: number }> {
    return [...this.awaiting].map(([changeId, { ship, sealedAt }]) => ({
      shipId: ship.id,
      changeId,
      sealedAt,
    }));
  }

  /** Outcome delays (seal → verified outcome at the ship, ms) since the last call. */
  takeOutcomeDelays(): number[] {
    const delays = this.outcomeDelays;
    this.outcomeDelays = [];
    return delays;
  }

  /** Delays of the master updates that the update readers saw for sampled ships' changes. */
  takeUpdateDelays(): number[] {
    const delays = this.updateDelays;
    this.updateDelays = [];
    return delays;
  }

  /** Stops the clock, sends what was sealed (for at most `flushMs`) and disconnects. */
  async stop(flushMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.signing]);
    const until = Date.now() + flushMs;
    while ((this.queue.length > 0 || this.sending) && Date.now() < until) {
      this.pump();
      await (this.sending ?? new Promise((resolve) => setTimeout(resolve, 100)));
    }
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await Promise.all(this.readers.map((reader) => reader.stop()));
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
  }

  private ship(id: string): SimShip {
    const ship = this.byId.get(id);
    if (!ship) throw new Error(`no simulated ship ${id}`);
    return ship;
  }

  private tick(): void {
    const now = Date.now();
    for (const index of this.schedule?.due(now) ?? []) {
      const ship = this.ships[index];
      if (!ship.silent) this.queueHeartbeat(ship, now);
    }
    this.write(now);
    for (const ship of this.withPending) {
      if (ship.silent) continue;
      if (
        ship.pending.length >= this.maxChangesPerEnvelope ||
        now - ship.lastSealAt >= this.sealIntervalMs
      ) {
        this.seal(ship, now);
      }
    }
    this.lastTick = now;
    // Updates the readers missed (read from their end at start) are not waited for forever.
    if (this.updatePending.size > 100_000) this.updatePending.clear();
  }

  /** The crew's writes since the last tick, each on the next ship (round robin) that is up. */
  private write(now: number): void {
    if (this.changesPerSecond <= 0) return;
    this.changeCredit += (this.changesPerSecond * (now - this.lastTick)) / 1000;
    let skipped = 0;
    while (this.changeCredit >= 1 && skipped < this.writers.length) {
      const ship = this.writers[this.nextWriter];
      this.nextWriter = (this.nextWriter + 1) % this.writers.length;
      if (ship.silent) {
        skipped += 1;
        continue;
      }
      skipped = 0;
      this.changeCredit -= 1;
      ship.write(this.options.contentType, now);
      this.withPending.add(ship);
    }
    if (skipped >= this.writers.length) this.changeCredit = 0;
  }

  private seal(ship: SimShip, now: number): void {
    const changes = ship.takePending(now);
    this.withPending.delete(ship);
    if (changes.length === 0) return;
    if (this.sampledIds.has(ship.id)) {
      for (const change of changes) {
        this.awaiting.set(change.changeId, { ship, sealedAt: now });
        if (this.readsUpdates) this.updatePending.set(change.changeId, now);
      }
      ship.awaitingOutcome += changes.length;
    }
    this.signed(
      signEnvelopeAsync(
        {
          sender: ship.id,
          kind: MessageKind.ShipChanges,
          payload: { changes },
          timestamp: new Date(now).toISOString(),
        },
        ship.privateKey,
      ).then((envelope) => ({
        topic: this.options.topics.shipUpdates,
        key: ship.id,
        value: encodeEnvelope(envelope),
        heartbeat: false,
        changes: changes.length,
      })),
    );
  }

  private queueHeartbeat(ship: SimShip, now: number): void {
    const payload = ship.heartbeat(now, this.appVersion);
    this.signed(
      signEnvelopeAsync(
        { sender: ship.id, kind: MessageKind.Heartbeat, payload, timestamp: payload.sentAt },
        ship.privateKey,
      ).then((envelope) => ({
        topic: this.options.topics.heartbeats,
        key: ship.id,
        value: encodeEnvelope(envelope),
        heartbeat: true,
        changes: 0,
      })),
    );
  }

  private signed(message: Promise<Outgoing>): void {
    const done = message.then((outgoing) => {
      this.queue.push(outgoing);
      this.pump();
    });
    this.signing.add(done);
    void done.finally(() => this.signing.delete(done));
  }

  /** One produce request at a time with everything queued (up to MAX_REQUEST_MESSAGES). */
  private pump(): void {
    if (this.sending || this.retryTimer || this.queue.length === 0 || !this.producer) return;
    const batch = this.queue.splice(0, MAX_REQUEST_MESSAGES);
    const byTopic = new Map<string, Outgoing[]>();
    for (const message of batch) {
      const list = byTopic.get(message.topic) ?? [];
      list.push(message);
      byTopic.set(message.topic, list);
    }
    const producer = this.producer;
    this.sending = producer
      .sendBatch({
        ...envelopeSendSettings({ kafka: this.options.kafka, compression: 'gzip' }),
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic,
          messages: messages.map((m) => ({ key: m.key, value: m.value })),
        })),
      })
      .then(
        () => {
          this.statsValue.requests += 1;
          for (const message of batch) {
            if (message.heartbeat) {
              this.statsValue.heartbeatsSent += 1;
            } else {
              this.statsValue.envelopesSent += 1;
              this.statsValue.changesSent += message.changes;
            }
          }
        },
        (error: unknown) => {
          // Not sent: first in line again, after a pause (the broker may be restarting).
          this.statsValue.sendErrors += 1;
          this.statsValue.lastSendError = error instanceof Error ? error.message : String(error);
          this.queue.unshift(...batch);
          if (!this.stopped) {
            this.retryTimer = setTimeout(() => {
              this.retryTimer = null;
              this.pump();
            }, 500);
          }
        },
      )
      .finally(() => {
        this.sending = null;
        this.pump();
      });
  }

  private onOutcome(ship: SimShip, outcome: ChangeOutcomeDto, receivedAt: number): void {
    const sent = this.awaiting.get(outcome.changeId);
    if (!sent) {
      this.statsValue.repeatedOutcomes += 1;
      return;
    }
    this.awaiting.delete(outcome.changeId);
    ship.awaitingOutcome = Math.max(0, ship.awaitingOutcome - 1);
    this.outcomeDelays.push(receivedAt - sent.sealedAt);
    this.statsValue.outcomes[outcome.status] = (this.statsValue.outcomes[outcome.status] ?? 0) + 1;
  }

  private onUpdate(update: MasterUpdateDto, receivedAt: number): void {
    this.statsValue.updatesRead += 1;
    const origin = update.origin;
    if (!origin || !this.sampledIds.has(origin.shipId)) return;
    const sealedAt = this.updatePending.get(origin.changeId);
    if (sealedAt === undefined) return;
    this.updatePending.delete(origin.changeId);
    this.updateDelays.push(receivedAt - sealedAt);
  }

  private get readsUpdates(): boolean {
    return (this.options.updateReaders ?? 0) > 0;
  }
}
