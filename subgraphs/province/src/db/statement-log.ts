import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import type { Logger } from 'pino';

/**
 * Counts the SQL statements sent through drizzle (every query, inside transactions too), and logs
 * them at `trace` level without their parameters (parameters can hold personal data).
 * Tests read {@link StatementLog.count} to check that a batch costs one statement.
 */
export class StatementLog implements DrizzleLogger {
  /** Statements sent since the start or the last {@link reset}. */
  count = 0;
  /** The statements' SQL text, kept only while {@link recording} is true. */
  readonly recorded: string[] = [];
  /** Keep statement texts in {@link recorded} (tests). @default false */
  recording = false;

  constructor(private readonly log?: Logger) {}

  /** Called by drizzle for each statement. */
  logQuery(query: string): void {
    this.count += 1;
    if (this.recording) this.recorded.push(query);
    if (this.log?.isLevelEnabled('trace')) this.log.trace({ sql: query }, 'sql');
  }

  /** Starts counting (and recording) afresh. */
  reset(): void {
    this.count = 0;
    this.recorded.length = 0;
  }
}
