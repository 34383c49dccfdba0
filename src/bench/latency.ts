import { build, type Histogram } from 'hdr-histogram-js';

/** Latency figures in milliseconds, from a histogram kept in microseconds. */
export interface LatencyMs {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

// One hour in microseconds: far past any request timeout, so nothing is clipped.
const latencyUsMax = 3_600_000_000;

/** A histogram of latencies with microsecond precision (3 significant digits). */
export function createLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: latencyUsMax,
    numberOfSignificantValueDigits: 3,
  });
}

export function recordLatencyMs(histogram: Histogram, latencyMs: number): void {
  histogram.recordValue(Math.min(latencyUsMax, Math.max(1, Math.round(latencyMs * 1000))));
}

export function summarizeLatency(histogram: Histogram): LatencyMs {
  if (histogram.totalCount === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const ms = (us: number) => Math.round(us) / 1000;
  // A percentile is the top of its bucket, which can lie past the largest value recorded (the
  // histogram keeps 3 significant digits): it is never reported above the max.
  const max = histogram.maxValue;
  const at = (percentile: number) => ms(Math.min(histogram.getValueAtPercentile(percentile), max));
  return {
    mean: ms(histogram.mean),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: ms(max),
  };
}

/** Histograms by a name such as "read one", in the order first seen. */
export class LatencyBook {
  readonly #histograms = new Map<string, Histogram>();

  record(name: string, latencyMs: number): void {
    let histogram = this.#histograms.get(name);
    if (histogram === undefined) {
      histogram = createLatencyHistogram();
      this.#histograms.set(name, histogram);
    }
    recordLatencyMs(histogram, latencyMs);
  }

  entries(): [string, Histogram][] {
    return [...this.#histograms];
  }

  /** Every histogram added into one. */
  merged(): Histogram {
    const all = createLatencyHistogram();
    for (const histogram of this.#histograms.values()) all.add(histogram);
    return all;
  }
}
