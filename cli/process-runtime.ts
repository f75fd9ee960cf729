// cli/process-runtime: what every long-running process shares — the frozen config (a bad value stops it
// with the variable's name), the logger, and draining on SIGTERM/SIGINT.
import { ConfigError, loadConfig, type Config } from '../platform/config.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { createLogger, describeError, type Logger } from '../platform/logger.js';

export interface Runtime {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function createRuntime(name: string): Runtime {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`xborder: bad configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  return { config, clock: systemClock, logger: createLogger({ level: config.logLevel, name }) };
}

/** Resolves when the process is asked to stop; then `close` runs once, and a second signal exits at once. */
export function untilStopped(logger: Logger, close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info('draining', { signal });
      close().then(
        () => {
          logger.info('stopped');
          resolve();
        },
        (err: unknown) => {
          logger.error('shutdown failed', { error: describeError(err) });
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
