/**
 * A periodic task of the province process (the statistics fold, retention): runs one at a time,
 * each run scheduled after the previous one ends, on demand too (`runNow`, waiting for a running
 * one first), with failures handed to `onFailure` and retried later. Its timer does not keep the
 * process alive; `stop()` ends it and waits for a running run.
 */

/** Options of {@link startBackgroundTask}. */
export interface BackgroundTaskOptions<T> {
  /** One run. */
  run(): Promise<T>;
  /** Delay before the first run. */
  firstDelayMs: number;
  /** Delay before the next run, after a run that gave `result`. */
  nextDelayMs(result: T): number;
  /** Delay before the next run after a failed one. */
  failureDelayMs: number;
  /** Each scheduled run's result. @default none */
  onResult?(result: T): void;
  /** Each scheduled run's failure, unless the task was stopped meanwhile. @default none */
  onFailure?(err: Error): void;
}

/** A running periodic task. */
export interface BackgroundTask<T> {
  /** Runs now (after a running run); works after `stop()` too. */
  runNow(): Promise<T>;
  /** Stops scheduling and waits for a running run. Idempotent. */
  stop(): Promise<void>;
}

/** Starts scheduling `options.run` (see the module comment). */
export function startBackgroundTask<T>(options: BackgroundTaskOptions<T>): BackgroundTask<T> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const runNow = (): Promise<T> => {
    const run = running.catch(() => undefined).then(() => options.run());
    running = run;
    return run;
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      runNow().then(
        (result) => {
          options.onResult?.(result);
          schedule(options.nextDelayMs(result));
        },
        (err: unknown) => {
          if (!stopped) options.onFailure?.(err as Error);
          schedule(options.failureDelayMs);
        },
      );
    }, delayMs);
    timer.unref();
  };
  schedule(options.firstDelayMs);
  let stopping: Promise<void> | undefined;
  return {
    runNow,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await running.catch(() => undefined);
      })();
      return stopping;
    },
  };
}
