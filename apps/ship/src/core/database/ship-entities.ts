import { DocumentEntity } from '../../content/entities/document.entity';
import { DeadLetterEntity } from '../../dead-letters/entities/dead-letter.entity';
import { InboxPositionEntity } from '../../inbox/entities/inbox-position.entity';
import { OutboxChangeEntity } from '../../outbox/entities/outbox-change.entity';
import { OutboxEnvelopeEntity } from '../../relay/entities/outbox-envelope.entity';
import { SyncMetaEntity } from './sync-meta.entity';

/** Every entity of the ship database. */
export const SHIP_ENTITIES: (new () => object)[] = [
  DocumentEntity,
  OutboxChangeEntity,
  OutboxEnvelopeEntity,
  SyncMetaEntity,
  InboxPositionEntity,
  DeadLetterEntity,
];
