/**
 * Latency recording for the benchmarks: every sample is kept and percentiles are exact.
 *
 * Why not an HDR histogram: the load generator is bounded in request count and time, so a run
 * records at most a few hundred thousand samples (8 bytes each in a Float64Array: a few MB),
 * and sorting them once at the end costs milliseconds. Exact percentiles need no bucket-precision
 * setting to explain, and two recorders (plain and sharded) can be compared sample for sample.
 */

/** The summary of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The `q`-quantile (0..1) of ascending `sorted` samples by the nearest-rank method: the smallest
 * sample such that at least `q` of all samples are at or below it. NaN for no samples.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[sorted.length - 1]!;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Collects latency samples (milliseconds) and summarises them with exact percentiles. */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private size = 0;
  private sorted = true;

  /** Adds one sample in milliseconds. */
  record(ms: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
    this.sorted = false;
  }

  /** Adds every sample of another recorder. */
  merge(other: LatencyRecorder): void {
    for (const ms of other.values()) this.record(ms);
  }

  /** How many samples were recorded. */
  get count(): number {
    return this.size;
  }

  /** The samples in ascending order (a view, valid until the next `record`). */
  values(): Float64Array {
    const view = this.samples.subarray(0, this.size);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    return view;
  }

  /** Count, min, mean, p50, p90, p95, p99 and max. */
  summary(): LatencySummary {
    const v = this.values();
    let total = 0;
    for (const ms of v) total += ms;
    return {
      count: v.length,
      min: v.length ? v[0]! : Number.NaN,
      mean: v.length ? total / v.length : Number.NaN,
      p50: percentile(v, 0.5),
      p90: percentile(v, 0.9),
      p95: percentile(v, 0.95),
      p99: percentile(v, 0.99),
      max: v.length ? v[v.length - 1]! : Number.NaN,
    };
  }
}

/** `12.345` → `"12.3"`; NaN → `"-"`. */
export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
