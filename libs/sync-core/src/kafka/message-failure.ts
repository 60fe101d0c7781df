/**
 * A message that can never succeed as it is (bad signature, invalid payload, unknown sender...).
 * The transport stores it as a dead letter with this reason and moves on, so one poison message
 * never blocks its partition.
 */
export class PermanentMessageError extends Error {
  override readonly name = 'PermanentMessageError';

  constructor(
    /** Short machine-readable code, e.g. `bad-signature`, `invalid-message`. */
    readonly reason: string,
    /** Human-readable detail naming the field or check that failed. */
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

/**
 * A failure of the environment (database down, broker unreachable). The transport retries the
 * same messages with backoff and commits nothing until they succeed, which keeps per-ship order.
 */
export class TransientMessageError extends Error {
  override readonly name = 'TransientMessageError';

  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export function isPermanentMessageError(error: unknown): error is PermanentMessageError {
  return error instanceof PermanentMessageError;
}
