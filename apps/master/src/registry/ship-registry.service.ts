import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  deadLetterSource,
  MessageKind,
  verifyEnvelope,
  type HeartbeatDto,
  type KeyRing,
  type EnvelopeMessageDto,
} from '@offline-sync/sync-core';
import { DataSource, type EntityManager } from 'typeorm';
import { SHIP_KEY_RING } from '../core/signing/signing.tokens';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { EnvelopeRejectionMetrics } from '../metrics/envelope-rejection.metrics';
import type { ShipQueryDto, ShipSort } from './dto/ship-query.dto';
import { Ship } from './entities/ship.entity';
import { MasterUpdatesWatermarks } from './master-updates-watermarks';
import { updatesBehindSql } from './registry-sql';
import { shipView, type ShipView } from './ship.view';

export interface ShipPage {
  items: ShipView[];
  page: number;
  pageSize: number;
  /** Ships matching the query (every ship without a status filter). */
  total: number;
  /** Ships online in the whole fleet. */
  online: number;
}

/** Columns of a ships row as the Ship entity names them. */
const SHIP_COLUMNS = `s.id, s.status, s.app_version AS "appVersion", s.queue_depth AS "queueDepth",
  s.failed_count AS "failedCount", s.oldest_pending_age_ms AS "oldestPendingAgeMs",
  s.awaiting_outcome AS "awaitingOutcome", s.heartbeat_seq AS "heartbeatSeq",
  s.applied_position AS "appliedPosition", s.last_heartbeat_at AS "lastHeartbeatAt",
  s.last_seen_at AS "lastSeenAt", s.first_seen_at AS "firstSeenAt",
  s.status_changed_at AS "statusChangedAt"`;

const ORDER_BY: Record<Exclude<ShipSort, 'updates-behind'>, string> = {
  id: 's.id',
  'last-seen': 's.last_seen_at, s.id',
  'queue-depth': 's.queue_depth DESC, s.id',
};

/** How long the largest clock lead of a ship's heartbeats is kept before a new window starts. */
export const CLOCK_LEAD_WINDOW = `interval '10 minutes'`;

/**
 * Stores the latest heartbeat of each ship ($1: a JSON array). A heartbeat moves a ship's state
 * only forward: its sequence (or, from releases without one, its time) must be past the stored
 * one's, so a replayed heartbeat changes nothing. It also keeps the largest lead of the ship's
 * clock (its heartbeat time minus the master's on arrival) of the current window.
 */
const UPSERT_HEARTBEATS_SQL = `INSERT INTO ships (id, status, app_version, queue_depth, awaiting_outcome, failed_count,
     oldest_pending_age_ms, applied_position, heartbeat_seq, last_heartbeat_at, last_seen_at,
     first_seen_at, status_changed_at, clock_lead_ms, clock_lead_since)
   SELECT x.id, 'online', x.app_version, x.queue_depth, x.awaiting_outcome, x.failed_count,
     x.oldest_pending_age_ms, x.applied_position, x.heartbeat_seq, x.sent_at, now(), now(), now(),
     floor(extract(epoch FROM x.sent_at - now()) * 1000)::bigint, now()
     FROM jsonb_to_recordset($1::jsonb) AS x(id text, app_version text, queue_depth int,
          awaiting_outcome int, failed_count int, oldest_pending_age_ms bigint,
          applied_position jsonb, heartbeat_seq bigint, sent_at timestamptz)
   ON CONFLICT (id) DO UPDATE SET
     clock_lead_ms = CASE
       WHEN ships.clock_lead_since > now() - ${CLOCK_LEAD_WINDOW}
         THEN GREATEST(ships.clock_lead_ms, EXCLUDED.clock_lead_ms)
       ELSE EXCLUDED.clock_lead_ms END,
     clock_lead_since = CASE
       WHEN ships.clock_lead_since > now() - ${CLOCK_LEAD_WINDOW} THEN ships.clock_lead_since
       ELSE now() END,
     status = 'online',
     status_changed_at = CASE WHEN ships.status = 'online' THEN ships.status_changed_at ELSE now() END,
     app_version = EXCLUDED.app_version, queue_depth = EXCLUDED.queue_depth,
     awaiting_outcome = EXCLUDED.awaiting_outcome,
     failed_count = EXCLUDED.failed_count, oldest_pending_age_ms = EXCLUDED.oldest_pending_age_ms,
     applied_position = EXCLUDED.applied_position, heartbeat_seq = EXCLUDED.heartbeat_seq,
     last_heartbeat_at = EXCLUDED.last_heartbeat_at, last_seen_at = now()
   WHERE CASE
     WHEN EXCLUDED.heartbeat_seq IS NOT NULL
       THEN ships.heartbeat_seq IS NULL OR EXCLUDED.heartbeat_seq > ships.heartbeat_seq
     ELSE ships.heartbeat_seq IS NULL AND EXCLUDED.last_heartbeat_at > ships.last_heartbeat_at
   END`;

interface MessageSource {
  topic: string;
  partition: number;
}

export interface HeartbeatRejection {
  message: EnvelopeMessageDto;
  reason: string;
  detail: string;
}

/** What verification made of a batch of heartbeats. */
interface HeartbeatBatch {
  rejected: HeartbeatRejection[];
  /** By ship: the latest of its heartbeats in the batch. */
  latest: Map<string, HeartbeatDto>;
}

/** Of two heartbeats of one ship, whether `beat` is the later: by sequence, else by time. */
function isLaterHeartbeat(beat: HeartbeatDto, than: HeartbeatDto): boolean {
  if (beat.sequence !== undefined && than.sequence !== undefined) {
    return beat.sequence > than.sequence;
  }
  if (beat.sequence !== undefined) return true;
  if (than.sequence !== undefined) return false;
  return Date.parse(beat.sentAt) >= Date.parse(than.sentAt);
}

/** The ship registry: what the ships' heartbeats say, and who is online. */
@Injectable()
export class ShipRegistryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SHIP_KEY_RING) private readonly keyRing: KeyRing,
    private readonly deadLetters: DeadLettersService,
    private readonly rejections: EnvelopeRejectionMetrics,
    private readonly watermarks: MasterUpdatesWatermarks,
  ) {}

  /**
   * Records a batch of heartbeats: unknown ships and bad signatures are refused (dead letter,
   * counted); of the rest, the newest per ship in the batch is stored in one statement. Arrival
   * (the master's clock) decides liveness, so a ship whose clock is wrong is still seen.
   */
  async record(
    messages: EnvelopeMessageDto[],
    source: MessageSource | null,
  ): Promise<HeartbeatRejection[]> {
    const batch = this.verifyAll(messages);
    await this.dataSource.transaction(async (manager) => {
      if (source) await this.storeRejections(manager, batch.rejected, source);
      if (batch.latest.size > 0) await this.storeLatest(manager, batch.latest);
    });
    return batch.rejected;
  }

  /** Verifies every heartbeat of the batch, keeping the latest per ship. */
  private verifyAll(messages: EnvelopeMessageDto[]): HeartbeatBatch {
    const batch: HeartbeatBatch = { rejected: [], latest: new Map() };
    for (const message of messages) {
      const verdict = verifyEnvelope(message.value, this.keyRing);
      if (!verdict.ok) {
        batch.rejected.push({ message, reason: verdict.reason, detail: verdict.detail });
      } else if (verdict.envelope.kind !== MessageKind.Heartbeat) {
        batch.rejected.push({
          message,
          reason: 'unexpected-kind',
          detail: `the heartbeats topic carries heartbeat envelopes, got "${verdict.envelope.kind}"`,
        });
      } else {
        const beat = verdict.envelope.payload;
        const known = batch.latest.get(beat.shipId);
        if (!known || isLaterHeartbeat(beat, known)) batch.latest.set(beat.shipId, beat);
      }
    }
    return batch;
  }

  /** Each refused heartbeat counted and kept as a dead letter. */
  private async storeRejections(
    manager: EntityManager,
    rejected: HeartbeatRejection[],
    source: MessageSource,
  ): Promise<void> {
    for (const r of rejected) {
      this.rejections.rejected(r.reason, 'heartbeats');
      await this.deadLetters.store(
        {
          ...deadLetterSource(source.topic, source.partition, r.message),
          reason: r.reason,
          detail: r.detail,
        },
        manager,
      );
    }
  }

  /** The latest heartbeat of each ship, stored in one statement. */
  private async storeLatest(
    manager: EntityManager,
    latest: ReadonlyMap<string, HeartbeatDto>,
  ): Promise<void> {
    await manager.query(UPSERT_HEARTBEATS_SQL, [
      JSON.stringify(
        [...latest.values()].map((beat) => ({
          id: beat.shipId,
          app_version: beat.appVersion,
          queue_depth: beat.queueDepth,
          awaiting_outcome: beat.awaitingOutcome ?? 0,
          failed_count: beat.failedCount,
          oldest_pending_age_ms: beat.oldestPendingAgeMs,
          applied_position: beat.appliedPosition,
          heartbeat_seq: beat.sequence ?? null,
          sent_at: beat.sentAt,
        })),
      ),
    ]);
  }

  /**
   * One page of the fleet, in id order from the (status, id) index unless another order is asked
   * for: the database returns the page and the counts, whatever the fleet's size.
   */
  async list(query: ShipQueryDto): Promise<ShipPage> {
    const high = await this.watermarks.highWatermarks();
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where = [
      query.status === undefined ? null : `s.status = ${param(query.status)}`,
      query.search === undefined ? null : `s.id ILIKE ${param(containsPattern(query.search))}`,
    ].filter((clause) => clause !== null);
    const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    // Without Kafka's watermarks nobody's lag is known: then the fleet in id order.
    const order =
      query.sort === 'updates-behind' && high !== null
        ? `${updatesBehindSql(param(JSON.stringify(high)))} DESC, s.id`
        : ORDER_BY[query.sort === 'updates-behind' ? 'id' : query.sort];
    const page = `LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`;
    const [ships, [counts]] = await Promise.all([
      this.dataSource.query<Ship[]>(
        `SELECT ${SHIP_COLUMNS} FROM ships s ${filter} ORDER BY ${order} ${page}`,
        params,
      ),
      this.dataSource.query<[{ total: number; online: number }]>(
        `SELECT count(*) FILTER (WHERE ($1::text IS NULL OR status = $1)
                                   AND ($2::text IS NULL OR id ILIKE $2))::int AS total,
                count(*) FILTER (WHERE status = 'online')::int AS online
           FROM ships`,
        [query.status ?? null, query.search === undefined ? null : containsPattern(query.search)],
      ),
    ]);
    const conflicts = await this.openConflicts(ships.map((ship) => ship.id));
    return {
      items: ships.map((ship) => shipView(ship, high, conflicts.get(ship.id) ?? 0)),
      page: query.page,
      pageSize: query.pageSize,
      total: counts.total,
      online: counts.online,
    };
  }

  /** Open conflicts of each of these ships (a partial index on open conflicts by ship). */
  private async openConflicts(shipIds: string[]): Promise<Map<string, number>> {
    if (shipIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ ship_id: string; open: number }[]>(
      `SELECT ship_id, count(*)::int AS open FROM conflicts
        WHERE status = 'open' AND ship_id = ANY($1::text[]) GROUP BY ship_id`,
      [shipIds],
    );
    return new Map(rows.map((row) => [row.ship_id, row.open]));
  }

  async get(id: string): Promise<ShipView> {
    const ship = await this.dataSource.getRepository(Ship).findOneBy({ id });
    if (!ship) throw new NotFoundException(`No ship ${id} has sent a heartbeat`);
    const conflicts = await this.openConflicts([id]);
    return shipView(ship, await this.watermarks.highWatermarks(), conflicts.get(id) ?? 0);
  }

  /**
   * How far each ship's clock ran ahead of the master's by its heartbeats of the last two windows
   * (ms; ships without such heartbeats are left out), read in the caller's transaction.
   */
  async clockLeads(manager: EntityManager, shipIds: string[]): Promise<Map<string, number>> {
    if (shipIds.length === 0) return new Map();
    const rows = await manager.query<Array<{ id: string; lead: string }>>(
      `SELECT id, clock_lead_ms AS lead FROM ships
        WHERE id = ANY($1::text[]) AND clock_lead_ms IS NOT NULL
          AND clock_lead_since > now() - 2 * ${CLOCK_LEAD_WINDOW}`,
      [shipIds],
    );
    return new Map(rows.map((row) => [row.id, Number(row.lead)]));
  }

  async counts(): Promise<{ total: number; online: number }> {
    const [row] = await this.dataSource.query<[{ total: number; online: number }]>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'online')::int AS online FROM ships`,
    );
    return row;
  }
}

/** An ILIKE pattern matching ids that contain `text` literally (its wildcards escaped). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
