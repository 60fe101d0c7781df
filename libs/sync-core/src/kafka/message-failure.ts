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

/**
 * A message this node cannot verify yet, though a later configuration could (a key it does not
 * have, a newer schema version than it reads). Neither applied nor dead-lettered: the transport
 * hands over what came before it, then holds the partition at its offset (nothing after it is
 * handed over, no offset moves past it) and offers it again periodically.
 */
export class HeldMessageError extends Error {
  override readonly name = 'HeldMessageError';

  constructor(
    /** Offset of the message to hold at (the first such message of the batch). */
    readonly offset: string,
    /** Short machine-readable code, e.g. `unknown-key`. */
    readonly reason: string,
    /** Human-readable detail: what configuration would let it through. */
    readonly detail: string,
  ) {
    super(`held at offset ${offset}: ${reason}: ${detail}`);
  }
}

export function isHeldMessageError(error: unknown): error is HeldMessageError {
  return error instanceof HeldMessageError;
}
