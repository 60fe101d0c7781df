import { ConfigValidationError } from './validate-env';

/**
 * Runs an app's start-up. A configuration error is an operator's mistake: it is printed as one
 * line naming the variable, without a stack trace, and the process exits with status 1.
 */
export function runMain(start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(
        `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  });
}
