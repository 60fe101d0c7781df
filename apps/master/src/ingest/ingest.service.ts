import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageKind, verifyEnvelope, type KeyRing } from '@offline-sync/sync-core';
import { DataSource } from 'typeorm';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { SHIP_KEY_RING } from '../core/signing/signing.tokens';
import type { ShipUpdateMessageDto, ShipUpdatesBatchDto } from './dto/ship-updates-batch.dto';
import { ProcessedEnvelope } from './entities/processed-envelope.entity';

/**
 * Applies batches of ship envelopes. Every envelope is verified (signature, sender, schema) before
 * anything is written; rejected ones become dead letters in the same transaction as the accepted
 * ones, so a batch is either wholly recorded or not at all (commit, then the transport acks).
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLettersService,
    @Inject(SHIP_KEY_RING) private readonly keyRing: KeyRing,
  ) {}

  async ingestBatch(batch: ShipUpdatesBatchDto, topic: string, partition: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const accepted: ProcessedEnvelope[] = [];
      for (const message of batch.messages) {
        const verdict = verifyEnvelope(message.value, this.keyRing);
        if (!verdict.ok) {
          await this.deadLetters.store(
            {
              ...this.source(message, topic, partition),
              reason: verdict.reason,
              detail: verdict.detail,
            },
            manager,
          );
          continue;
        }
        const envelope = verdict.envelope;
        if (envelope.kind !== MessageKind.ShipChanges) {
          await this.deadLetters.store(
            {
              ...this.source(message, topic, partition),
              reason: 'unexpected-kind',
              detail: `ship-updates carries ship-changes envelopes, got "${envelope.kind}"`,
            },
            manager,
          );
          continue;
        }
        accepted.push(
          manager.create(ProcessedEnvelope, {
            messageId: envelope.messageId,
            sender: envelope.sender,
            kind: envelope.kind,
            changeCount: envelope.payload.changes.length,
            sentAt: new Date(envelope.timestamp),
          }),
        );
      }
      if (accepted.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(ProcessedEnvelope)
          .values(accepted)
          .orIgnore()
          .execute();
        this.logger.debug(`Recorded ${accepted.length} envelope(s) from ${topic}[${partition}]`);
      }
    });
  }

  private source(message: ShipUpdateMessageDto, topic: string, partition: number) {
    return {
      topic,
      partition,
      offset: message.offset,
      key: message.key,
      value: message.raw,
      valueEncoding: 'utf8' as const,
      headers: message.headers,
      sender: typeof message.value.sender === 'string' ? message.value.sender : undefined,
      messageId: typeof message.value.messageId === 'string' ? message.value.messageId : undefined,
    };
  }
}
