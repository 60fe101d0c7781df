import type { EnvelopeMessageDto } from '@offline-sync/sync-core';

/** A received message a handler refuses, with why: it becomes a dead letter. */
export interface RejectedMessage {
  message: EnvelopeMessageDto;
  reason: string;
  detail: string;
}
