import {
  PermanentMessageError,
  TransientMessageError,
  errorMessage,
} from '@offline-sync/sync-core';

/** SQLSTATE classes that the same input will hit again: data, integrity, syntax, PL/pgSQL. */
const PERMANENT_SQLSTATE = /^(22|23|42|2B|P0)/;

function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const direct = (error as { code?: unknown }).code;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  const code = typeof driver === 'string' ? driver : direct;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * The SQLSTATE of an error by which the database refused the data itself (so the same input fails
 * again), or undefined for anything else (connection, deadlock, serialization, a bug).
 */
export function refusedBySqlState(error: unknown): string | undefined {
  const code = sqlState(error);
  return code !== undefined && PERMANENT_SQLSTATE.test(code) ? code : undefined;
}

/**
 * Whether a failed batch would fail again as it is (then the transport re-runs its messages one
 * by one and dead-letters the culprit, so the partition moves on) or failed because of the
 * environment (connection lost, deadlock, serialization: retried with backoff, order kept).
 */
export function classifyIngestError(error: unknown): PermanentMessageError | TransientMessageError {
  if (error instanceof PermanentMessageError) return error;
  const message = errorMessage(error);
  const code = sqlState(error);
  if (code !== undefined && PERMANENT_SQLSTATE.test(code)) {
    return new PermanentMessageError(
      'ingest-failed',
      `database refused the batch (${code}): ${message}`,
    );
  }
  if (
    code === undefined &&
    (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError)
  ) {
    return new PermanentMessageError('ingest-failed', message);
  }
  return new TransientMessageError(message, error);
}
