/**
 * How results are printed: one line per measured target (requests, throughput, latency
 * percentiles, errors), comparisons with their ratio, and a collected summary of the key numbers
 * printed again at the end of the run (and kept as JSON for BENCHMARKS.md).
 */
import { formatMs, type LatencySummary } from './latency.js';
import { throughput, type LoadResult } from './load-generator.js';

/** The key numbers of one measured target. */
export interface MeasuredLine {
  scenario: string;
  target: string;
  requests: number;
  errors: number;
  perSecond: number;
  latency: LatencySummary;
  /** Extra facts (workers/s, statements per province…). */
  note?: string;
}

/** A sharded/plain comparison. */
export interface OverheadLine {
  scenario: string;
  /** sharded p50 / plain p50 */
  p50Ratio: number;
  /** sharded p99 / plain p99 */
  p99Ratio: number;
  /** plain throughput / sharded throughput */
  throughputRatio: number;
  /** sharded gateway CPU per request / plain gateway CPU per request (NaN when not measured) */
  cpuRatio: number;
}

/** Collects what a run measured and prints it as it goes. */
export class BenchReport {
  readonly lines: MeasuredLine[] = [];
  readonly overheads: OverheadLine[] = [];
  readonly facts: string[] = [];

  constructor(private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  /** A heading for a scenario. */
  heading(title: string): void {
    this.print('');
    this.print(`== ${title}`);
  }

  /** A free line (settings, explanations). */
  say(line: string): void {
    this.print(line);
  }

  /** A fact worth repeating in the summary (e.g. statements per province). */
  fact(line: string): void {
    this.facts.push(line);
    this.print(line);
  }

  /** Records and prints one measured target. */
  measured(scenario: string, target: string, result: LoadResult, note?: string): MeasuredLine {
    const line: MeasuredLine = {
      scenario,
      target,
      requests: result.requests,
      errors: result.errors,
      perSecond: throughput(result),
      latency: result.latency.summary(),
      ...(note ? { note } : {}),
    };
    this.lines.push(line);
    this.print(formatMeasured(line));
    for (const [reason, n] of result.errorSamples) this.print(`    error ×${n}: ${reason}`);
    return line;
  }

  /** Records and prints the overhead of `sharded` over `plain`; `cpuRatio` compares the gateways' CPU per request. */
  overhead(
    scenario: string,
    plain: MeasuredLine,
    sharded: MeasuredLine,
    cpuRatio = Number.NaN,
  ): OverheadLine {
    const line: OverheadLine = {
      scenario,
      p50Ratio: sharded.latency.p50 / plain.latency.p50,
      p99Ratio: sharded.latency.p99 / plain.latency.p99,
      throughputRatio: plain.perSecond / sharded.perSecond,
      cpuRatio,
    };
    this.overheads.push(line);
    this.print(formatOverhead(line));
    return line;
  }

  /** The summary printed at the end. */
  summaryLines(): string[] {
    return [
      '',
      '== summary',
      ...this.lines.map(formatMeasured),
      ...this.overheads.map(formatOverhead),
      ...this.facts,
    ];
  }
}

const pad = (text: string, width: number) =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);

/** One measured line: `scenario / target  N req  X/s  p50 … p99 … max …  errors`. */
export function formatMeasured(l: MeasuredLine): string {
  return (
    `  ${pad(`${l.scenario} / ${l.target}`, 58)} ${String(l.requests).padStart(6)} req ${l.perSecond.toFixed(1).padStart(8)}/s` +
    `  p50 ${formatMs(l.latency.p50).padStart(6)} ms  p99 ${formatMs(l.latency.p99).padStart(6)} ms  max ${formatMs(l.latency.max).padStart(6)} ms` +
    `  errors ${l.errors}${l.note ? `  (${l.note})` : ''}`
  );
}

/** One overhead line; ≤ 1.15 on p50 is the target. */
export function formatOverhead(o: OverheadLine): string {
  const verdict = o.p50Ratio <= 1.15 ? 'within' : 'ABOVE';
  const cpu = Number.isNaN(o.cpuRatio) ? '' : `  gateway CPU/request ×${o.cpuRatio.toFixed(2)}`;
  return `  overhead ${pad(o.scenario, 50)} sharded/plain  p50 ×${o.p50Ratio.toFixed(2)}  p99 ×${o.p99Ratio.toFixed(2)}  throughput plain/sharded ×${o.throughputRatio.toFixed(2)}${cpu}  (${verdict} the 1.15 target on p50)`;
}
