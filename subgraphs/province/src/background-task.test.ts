import { describe, expect, it } from 'vitest';
import { startBackgroundTask } from './background-task.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a background task', () => {
  it("should run after the first delay, again after each run's delay, and report failures then retry", async () => {
    const runs: number[] = [];
    const failures: string[] = [];
    let n = 0;
    const task = startBackgroundTask({
      run: async () => {
        n++;
        runs.push(n);
        if (n === 2) throw new Error('database down');
        return n;
      },
      firstDelayMs: 5,
      nextDelayMs: (result) => (result === 1 ? 0 : 10_000), // "again at once" after the first, then a long pause
      failureDelayMs: 5,
      onFailure: (err) => failures.push(err.message),
    });
    await sleep(80);
    expect(runs).toEqual([1, 2, 3]);
    expect(failures).toEqual(['database down']);
    await task.stop();
  });

  it('should run on demand one at a time, and not at all on schedule once stopped', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const task = startBackgroundTask({
      run: async () => {
        most = Math.max(most, ++active);
        await sleep(10);
        active--;
        return ++runs;
      },
      firstDelayMs: 1_000,
      nextDelayMs: () => 1_000,
      failureDelayMs: 1_000,
    });
    expect(await Promise.all([task.runNow(), task.runNow(), task.runNow()])).toEqual([1, 2, 3]);
    expect(most).toBe(1);
    await task.stop();
    await sleep(20);
    expect(await task.runNow()).toBe(4); // works after stop()
  });
});
