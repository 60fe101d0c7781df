import {
  Catch,
  ServiceUnavailableException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';

/**
 * A failed health check answers 503 with Terminus's own body (status, info, error, details), so
 * probes and operators see which component is down; the global error filter would reduce it to a
 * generic message and log a stack trace at every probe.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailureFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(503).json(exception.getResponse());
  }
}
