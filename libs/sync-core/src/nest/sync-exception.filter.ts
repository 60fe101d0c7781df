import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { throwError, type Observable } from 'rxjs';
import {
  PermanentMessageError,
  TransientMessageError,
  isHeldMessageError,
  isPermanentMessageError,
} from '../kafka/message-failure';
import { InputValidationException } from './input-validation.exception';
import { STORAGE_FULL_MESSAGE, isStorageFull } from './storage-full';
import { formatFieldErrors } from './validation-errors';
import { errorMessage } from '../errors/error-message';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: { field: string; reason: string }[];
  /** The size limit a 413 refers to, in bytes. */
  maxBytes?: number;
  path?: string;
  timestamp: string;
}

/**
 * Turns every error into a clear JSON body on HTTP, and into a permanent or transient failure
 * for the Kafka batch transport (which dead-letters the first and retries the second); a held
 * message (HeldMessageError) reaches the transport as it is.
 */
@Catch()
export class SyncExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(SyncExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return this.catchRpc(exception);
    if (host.getType() === 'http') this.catchHttp(exception, host);
  }

  private catchRpc(exception: unknown): Observable<never> {
    if (isPermanentMessageError(exception) || isHeldMessageError(exception)) {
      return throwError(() => exception);
    }
    if (exception instanceof InputValidationException) {
      const detail = formatFieldErrors(exception.fieldErrors);
      return throwError(() => new PermanentMessageError('invalid-message', detail));
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return throwError(() => new PermanentMessageError('invalid-message', exception.message));
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : exception,
    );
    const message = errorMessage(exception);
    return throwError(() => new TransientMessageError(message, exception));
  }

  private catchHttp(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.httpBody(exception);
    body.path = request.url;
    if (body.statusCode === (HttpStatus.INSUFFICIENT_STORAGE as number)) {
      // Expected while the disk is full: one line per refused request, not a stack trace.
      this.logger.warn(
        `${request.method} ${request.url} refused, database full: ${errorMessage(exception)}`,
      );
    } else if (body.statusCode >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    response.status(body.statusCode).json(body);
  }

  private httpBody(exception: unknown): ErrorBody {
    const timestamp = new Date().toISOString();
    // Nest wraps Express' own refusals (body-parser's) in an HttpException: answer them as ours.
    const cause = exception instanceof HttpException ? exception.cause : undefined;
    if (isJsonSyntaxError(cause) || isBodyParserError(cause)) return this.httpBody(cause);
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null) {
        const r = response as Partial<ErrorBody> & { message?: string | string[] };
        const message = Array.isArray(r.message)
          ? r.message.join('; ')
          : (r.message ?? exception.message);
        return {
          statusCode,
          error: r.error ?? HttpStatus[statusCode] ?? 'Error',
          message,
          ...(r.errors ? { errors: r.errors } : {}),
          ...(r.maxBytes !== undefined ? { maxBytes: r.maxBytes } : {}),
          timestamp,
        };
      }
      return {
        statusCode,
        error: HttpStatus[statusCode] ?? 'Error',
        message: String(response),
        timestamp,
      };
    }
    if (isStorageFull(exception)) {
      return {
        statusCode: HttpStatus.INSUFFICIENT_STORAGE,
        error: 'Insufficient Storage',
        message: STORAGE_FULL_MESSAGE,
        timestamp,
      };
    }
    if (isJsonSyntaxError(exception)) {
      return {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Request body is not valid JSON',
        timestamp,
      };
    }
    if (isBodyParserError(exception)) {
      const statusCode = exception.status;
      const tooLarge = exception.type === 'entity.too.large' && typeof exception.limit === 'number';
      const reason = `is larger than the ${exception.limit}-byte limit`;
      return {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: tooLarge ? `Request body ${reason}` : exception.message,
        ...(tooLarge ? { errors: [{ field: 'body', reason }], maxBytes: exception.limit } : {}),
        timestamp,
      };
    }
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      timestamp,
    };
  }
}

/** body-parser's refusals (http-errors): a 4xx whose message is meant for the client. */
interface BodyParserError extends Error {
  status: number;
  expose: true;
  type: string;
  limit?: number;
}

function isBodyParserError(exception: unknown): exception is BodyParserError {
  if (!(exception instanceof Error)) return false;
  const e = exception as Partial<BodyParserError>;
  return (
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500 &&
    e.expose === true &&
    typeof e.type === 'string'
  );
}

function isJsonSyntaxError(exception: unknown): boolean {
  return exception instanceof SyntaxError && 'body' in exception;
}
