import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxKind } from './entities/outbox-message.entity';
import { uuidV7 } from '@offline-sync/sync-core';

export interface OutboxEntry {
  kind: OutboxKind;
  topic: string;
  key: string;
  payload: object;
}

/** Adds rows to the master outbox inside the caller's transaction (one statement). */
@Injectable()
export class OutboxWriter {
  async add(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO outbox (kind, message_id, topic, key, payload)
       SELECT x.kind, x.message_id, x.topic, x.key, x.payload
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
              AS (kind text, message_id uuid, topic text, key text, payload jsonb))
              WITH ORDINALITY AS x(kind, message_id, topic, key, payload, n)
        ORDER BY n`,
      [
        JSON.stringify(
          entries.map((entry) => ({
            kind: entry.kind,
            message_id: uuidV7(),
            topic: entry.topic,
            key: entry.key,
            payload: entry.payload,
          })),
        ),
      ],
    );
  }
}
