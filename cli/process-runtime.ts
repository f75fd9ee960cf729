// cli/process-runtime: what every long-running process shares — the frozen config (a bad value stops it
// with the variable's name), the logger, and draining on SIGTERM/SIGINT.
import { ConfigError, type Config } from '../platform/config.js';
import type { ConfigSource } from './command.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { createLogger, describeError, type Logger } from '../platform/logger.js';

export interface Runtime {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function createRuntime(name: string, source: ConfigSource): Runtime {
  let config: Config;
  try {
    config = source();
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

/**
 * What `xborder start` runs several of in one process, each registered as it comes up. A signal at any time — also
 * half-way through starting — or a failed start closes them all in reverse order (issue 15: a start that cannot
 * bind a port must not leave workers, receiver or its Redis behind). A second signal (over a second after the first:
 * npm forwards Ctrl-C, so one press arrives twice) exits at once; whatever is
 * left (a redis-server child) is killed on exit by its own handler.
 */
export interface Lifecycle {
  /** Registers something to close; if stopping has begun already, closes it now. */
  add(name: string, close: () => Promise<void>): Promise<void>;
  /** True once a signal arrived or stop() was called. */
  readonly stopping: boolean;
  /** Closes everything registered (each once), newest first; a failing close is logged and the rest still run. */
  stop(why: string): Promise<void>;
  /** Resolves when a signal has stopped everything; true when every close succeeded. */
  readonly stopped: Promise<boolean>;
}

export function createLifecycle(logger: Logger): Lifecycle {
  const parts: { name: string; close: () => Promise<void> }[] = [];
  let stopping = false;
  let allClosed = true;
  let run: Promise<void> | null = null;
  let signalled: (ok: boolean) => void = () => undefined;
  const stopped = new Promise<boolean>((resolve) => (signalled = resolve));
  const closeOne = async (part: { name: string; close: () => Promise<void> }) => {
    try {
      await part.close();
    } catch (err) {
      allClosed = false;
      logger.error('closing failed', { part: part.name, error: describeError(err) });
    }
  };
  const stop = (why: string): Promise<void> => {
    stopping = true;
    run ??= (async () => {
      logger.info('draining', { why });
      while (parts.length > 0) {
        const part = parts.pop();
        if (part !== undefined) await closeOne(part);
      }
      logger.info('stopped');
    })();
    return run;
  };
  let firstSignalAt = 0;
  const onSignal = (signal: string) => {
    if (firstSignalAt !== 0) {
      // Ctrl-C under `npm start` arrives twice — from the terminal and forwarded by npm — within milliseconds;
      // that is one request to drain. A second press a moment later means "now".
      if (Date.now() - firstSignalAt > 1000) process.exit(130);
      return;
    }
    firstSignalAt = Date.now();
    void stop(signal).then(() => signalled(allClosed));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return {
    async add(name, close) {
      if (stopping) return closeOne({ name, close });
      parts.push({ name, close });
    },
    get stopping() {
      return stopping;
    },
    stop,
    stopped,
  };
}
