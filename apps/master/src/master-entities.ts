import { Conflict } from './conflicts/entities/conflict.entity';
import { DeadLetter } from './dead-letters/entities/dead-letter.entity';
import { MasterDocument } from './documents/entities/master-document.entity';
import { ProcessedEnvelope } from './ingest/entities/processed-envelope.entity';
import { RecordedOutcome } from './ingest/entities/recorded-outcome.entity';
import { ShipSequence } from './ingest/entities/ship-sequence.entity';
import { OutboxMessage } from './outbox/entities/outbox-message.entity';
import { Ship } from './registry/entities/ship.entity';
import { Revision } from './revisions/entities/revision.entity';

/**
 * Every entity of the master database, each owned by its capability's folder; the app hands the
 * list to core's database module, which never imports a capability.
 */
export const MASTER_ENTITIES = [
  DeadLetter,
  ProcessedEnvelope,
  MasterDocument,
  Revision,
  Conflict,
  ShipSequence,
  RecordedOutcome,
  OutboxMessage,
  Ship,
];
