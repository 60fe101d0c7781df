import { CompressionTypes } from 'kafkajs';
import { EventEmitter } from 'node:events';

/** The kafkajs consumer and producer event names the product listens to. */
export const ADAPTER_EVENTS = {
  FETCH_START: 'consumer.fetch_start',
  FETCH: 'consumer.fetch',
  HEARTBEAT: 'consumer.heartbeat',
  GROUP_JOIN: 'consumer.group_join',
  REQUEST: 'consumer.network.request',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  CRASH: 'consumer.crash',
  CONNECT: 'producer.connect',
  DISCONNECT: 'producer.disconnect',
} as const;

/** kafkajs' `on(event, listener)` returning a remover, for the adapters of other libraries. */
export class AdapterEvents {
  readonly events = ADAPTER_EVENTS;
  private readonly emitter = new EventEmitter();

  on(event: string, listener: (event: { payload: Record<string, unknown> }) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  protected emit(event: string, payload: Record<string, unknown> = {}): void {
    this.emitter.emit(event, { id: 0, type: event, timestamp: Date.now(), payload });
  }
}

/** kafkajs' numeric compression codes, by name. */
export function compressionName(
  codec: CompressionTypes | undefined,
): 'gzip' | 'snappy' | 'lz4' | 'zstd' | 'none' {
  switch (codec) {
    case CompressionTypes.GZIP:
      return 'gzip';
    case CompressionTypes.Snappy:
      return 'snappy';
    case CompressionTypes.LZ4:
      return 'lz4';
    case CompressionTypes.ZSTD:
      return 'zstd';
    default:
      return 'none';
  }
}
