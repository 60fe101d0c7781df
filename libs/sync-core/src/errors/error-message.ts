/**
 * What went wrong, as one line for a log, a dead letter or an API answer: an Error's message,
 * anything else as text (objects as JSON, so a thrown plain object still says what it holds).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  // An Error of another realm (a vm context, a worker's error event) fails instanceof.
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && Object.prototype.toString.call(error) === '[object Error]') {
    return message;
  }
  if (typeof error === 'object' && error !== null) {
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}
