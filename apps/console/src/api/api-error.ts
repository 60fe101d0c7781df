/** A refused API request: the status and the message the API gave (its JSON error body). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The message of an API error body: `message`, or the field errors it names. */
export function errorMessageOf(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const { message, errors } = body as { message?: unknown; errors?: unknown };
    if (Array.isArray(errors) && errors.length > 0) {
      return errors
        .map((e) => {
          const { field, reason } = e as { field?: unknown; reason?: unknown };
          return `${String(field)}: ${String(reason)}`;
        })
        .join('; ');
    }
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return `The API answered ${status}`;
}
