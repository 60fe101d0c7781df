import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { MasterConfig } from '../core/config/master-config';

/** How long a probe waits for Kafka: well inside a kubelet probe's timeout. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * One Kafka admin connection for the health checks. A failed call drops it, so the next probe
 * connects afresh instead of waiting on a connection kafkajs is still retrying.
 */
@Injectable()
export class KafkaAdmin implements OnApplicationShutdown {
  private admin: Promise<Admin> | null = null;

  constructor(private readonly config: MasterConfig) {}

  async run<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        (async () => work(await this.connected()))(),
        PROBE_TIMEOUT_MS,
        `Kafka did not answer within ${PROBE_TIMEOUT_MS} ms`,
      );
    } catch (error) {
      const stale = this.admin;
      this.admin = null;
      void stale?.then((admin) => admin.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  private connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = new Kafka({
        ...this.config.kafka,
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      this.admin = admin.connect().then(() => admin);
    }
    return this.admin;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
