import {
  formatRejectionReason,
  type ChangeOutcomeDto,
  type ShipChangeDto,
} from '@offline-sync/sync-core';

/** A change's `rejected` outcome: `<code>: <text>`, with the master's version when it has one. */
export function rejectedOutcome(
  change: Pick<ShipChangeDto, 'changeId' | 'seq' | 'documentId' | 'type' | 'locale'>,
  code: string,
  text: string,
  version?: number,
): ChangeOutcomeDto {
  const outcome: ChangeOutcomeDto = {
    changeId: change.changeId,
    seq: change.seq,
    documentId: change.documentId,
    type: change.type,
    locale: change.locale,
    status: 'rejected',
    reason: formatRejectionReason(code, text),
  };
  if (version !== undefined) outcome.version = version;
  return outcome;
}
