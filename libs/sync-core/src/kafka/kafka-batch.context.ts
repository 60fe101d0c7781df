import { BaseRpcContext } from '@nestjs/microservices';

type KafkaBatchContextArgs = [
  topic: string,
  partition: number,
  heartbeat: () => Promise<void>,
  highWatermark: string,
];

/** Context of a batch handler call: where the batch came from, and a heartbeat for long work. */
export class KafkaBatchContext extends BaseRpcContext<KafkaBatchContextArgs> {
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  /** Call during long processing so the group coordinator does not consider the consumer dead. */
  getHeartbeat(): () => Promise<void> {
    return this.args[2];
  }

  /** Offset of the next message the broker will write to this partition (for lag). */
  getHighWatermark(): string {
    return this.args[3];
  }
}
