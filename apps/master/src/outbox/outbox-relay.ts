import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { errorMessage, type EnvelopePublisher } from '@offline-sync/sync-core';
import { DataSource, type QueryRunner } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { OutboxLanes, type Lane } from './outbox-lanes';
import { rowsWhere, type PendingRow } from './outbox-rows';
import { OutcomeFanout } from './outcome-fanout';
import { TopicBackoffs } from './topic-backoff';
import { TopicSender } from './topic-sender';

const DRAIN_BATCH = 500;

/**
 * Publishes the master outbox, master updates and outcomes in lanes of their own (OutboxLanes):
 * oldest rows first, grouped per topic, signed (OutboxSigner), through the idempotent producer, in
 * produce requests of at most KAFKA_MAX_REQUEST_BYTES (TopicSender; OutcomeFanout for many ships'
 * outcomes at once). A row is marked sent only after the broker acknowledged it. A failed send
 * leaves its rows pending (attempts and error recorded) and that topic backs off and is retried
 * (TopicBackoffs), while the other topics keep going. A row that can never be sent (over the
 * request limit on its own, or its revision missing) is parked with a dead letter saying why
 * (OutboxParking), and the rows behind it go on.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MASTER_PUBLISHER) private readonly publisher: EnvelopePublisher,
    private readonly lanes: OutboxLanes,
    private readonly backoffs: TopicBackoffs,
    private readonly topicSender: TopicSender,
    private readonly fanout: OutcomeFanout,
    private readonly config: MasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.lanes.start((lane) => this.drainLane(lane));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lanes.stop();
    // The consumers have stopped, so no new rows come: publish what the last batches wrote, for
    // at most half the shutdown budget (rows left are durable; the next relay to run sends them).
    const until = Date.now() + this.config.shutdownTimeoutMs / 2;
    await Promise.all(
      this.lanes.all.map(async (lane) => {
        try {
          while (Date.now() < until && (await this.drainOnce(lane)) === DRAIN_BATCH);
        } catch (error) {
          this.logger.warn(
            `Outbox flush (${lane.name}) at shutdown stopped: ${errorMessage(error)}`,
          );
        }
      }),
    );
    await this.publisher.disconnect();
  }

  /** Called after a transaction that wrote outbox rows has committed. */
  kick(): void {
    this.lanes.kick();
  }

  /** An operator's push: topics waiting out a failed send are tried again at once too. */
  retryNow(): void {
    this.backoffs.clear();
    this.lanes.retryNow();
  }

  /** Drains until nothing is pending but rows of topics backing off (tests use it directly). */
  async drain(): Promise<void> {
    await Promise.all(this.lanes.all.map((lane) => this.drainLane(lane)));
  }

  private async drainLane(lane: Lane): Promise<void> {
    for (;;) {
      const taken = await this.drainOnce(lane);
      if (taken < DRAIN_BATCH) return;
    }
  }

  /**
   * One locked pass over up to DRAIN_BATCH pending rows of the lane (of topics not backing off);
   * returns how many it took.
   */
  private async drainOnce(lane: Lane): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        lane.lock,
      ])) as [{ locked: boolean }];
      if (!locked) {
        await runner.commitTransaction();
        return 0;
      }
      const rows = (await runner.query(
        rowsWhere(`status = 'pending' AND kind = $3 AND topic <> ALL($2::text[])`),
        [DRAIN_BATCH, this.backoffs.backingOff(), lane.kind],
      )) as PendingRow[];
      await this.publishRows(runner, lane, rows);
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Publishes each topic's rows; a topic whose send fails backs off, the others go on. */
  private async publishRows(runner: QueryRunner, lane: Lane, rows: PendingRow[]): Promise<void> {
    const byTopic = new Map<string, PendingRow[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push(row);
      byTopic.set(row.topic, list);
    }
    // Outcomes go to one topic per ship: a pass holds a few rows for each of hundreds of topics,
    // which go out together. What is left (a failed request) goes topic by topic below.
    const outcomeTopics = [...byTopic].filter(
      ([topic, group]) =>
        group[0].kind === 'change-outcomes' && !this.topicSender.hasOwnLimit(topic),
    );
    const handled =
      outcomeTopics.length > 1
        ? await this.fanout.publish(
            runner,
            outcomeTopics.flatMap(([, group]) => group),
          )
        : new Set<string>();
    for (const [topic, all] of byTopic) {
      const group = all.filter((row) => !handled.has(row.id));
      if (group.length === 0) {
        this.backoffs.succeeded(topic);
        continue;
      }
      try {
        // A topic whose request limit proved smaller has rows left to send at once.
        if (await this.topicSender.publish(runner, topic, group)) lane.again = true;
        this.backoffs.succeeded(topic);
      } catch (error) {
        this.backoffs.failed(topic, error);
      }
    }
  }
}
