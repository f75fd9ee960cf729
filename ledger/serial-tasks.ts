// ledger/serial-tasks: runs one process's async tasks one after another (a checkpoint must not race the tile
// writes or another checkpoint); a task that fails does not stop the next. Not a lock between processes: that
// is the sequencer lease's job.
export interface SerialTasks {
  /** Runs `task` after every task given before it has settled; answers what it answers. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Settles (never rejects) once every task given so far has settled. */
  idle(): Promise<void>;
}

export function createSerialTasks(): SerialTasks {
  let chain: Promise<void> = Promise.resolve();
  return {
    run(task) {
      const run = chain.then(task, task);
      chain = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    idle: () => chain,
  };
}
