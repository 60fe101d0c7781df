import { DeadLetter } from '../../dead-letters/entities/dead-letter.entity';
import { ProcessedEnvelope } from '../../ingest/entities/processed-envelope.entity';

/** Every entity of the master database. */
export const MASTER_ENTITIES = [DeadLetter, ProcessedEnvelope];
