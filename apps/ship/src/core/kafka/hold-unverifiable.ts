import {
  HeldMessageError,
  type EnvelopeMessageDto,
  type VerifiedEnvelope,
} from '@offline-sync/sync-core';

/**
 * Holds the inbound partition at a message that a later configuration could verify (a master key
 * this ship does not have yet, a newer schema version): thrown before anything of the batch is
 * written, so the transport applies what precedes it and keeps its position there. Skipping it
 * would lose the update for good (docs/protocol.md, "Ship inbound").
 */
export function holdUnverifiable(message: EnvelopeMessageDto, verdict: VerifiedEnvelope): void {
  if (!verdict.ok && verdict.verifiableLater) {
    throw new HeldMessageError(message.offset, verdict.reason, verdict.detail);
  }
}
