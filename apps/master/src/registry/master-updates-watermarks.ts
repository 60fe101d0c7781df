import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type Admin } from 'kafkajs';
import { MasterConfig } from '../core/config/master-config';

/** Partition → offset of the next message to be written (decimal strings). */
export type Watermarks = Record<string, string>;

const CACHE_MS = 2000;

/** High watermarks of master-updates, cached briefly: lag is asked for per ship list request. */
@Injectable()
export class MasterUpdatesWatermarks implements OnApplicationShutdown {
  private admin: Admin | null = null;
  private cached: { at: number; value: Watermarks } | null = null;

  constructor(private readonly config: MasterConfig) {}

  async highWatermarks(): Promise<Watermarks | null> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    try {
      if (!this.admin) {
        const admin = new Kafka(this.config.kafka).admin();
        await admin.connect();
        this.admin = admin;
      }
      const offsets = await this.admin.fetchTopicOffsets(this.config.topics.masterUpdates);
      const value: Watermarks = {};
      for (const p of offsets) value[String(p.partition)] = p.high;
      this.cached = { at: Date.now(), value };
      return value;
    } catch {
      // Kafka out of reach: the registry still answers, with lag unknown.
      return null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
