// What "RSS grows without bound" and "p99 drifts" mean, precisely, and the verdict.

/** RSS may grow at most this fast (least-squares slope after warm-up) on a node that runs throughout. */
export const rssSlopeMbPerMinMax = 10;
/** RSS growth is judged only over at least this much time after warm-up; shorter runs say so. */
export const rssFitMsMin = 120_000;
/** The last window's p99 may be at most this many times the first window's. */
export const p99DriftFactorMax = 3;

/** Least-squares slope of `samples` in MB per minute (x in ms). */
export function fitSlopeMbPerMin(samples: readonly { atMs: number; rssMb: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, s) => sum + s.atMs, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.rssMb, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { atMs, rssMb } of samples) {
    covariance += (atMs - meanX) * (rssMb - meanY);
    variance += (atMs - meanX) ** 2;
  }
  return variance === 0 ? 0 : (covariance / variance) * 60_000;
}

export interface SoakVerdict {
  ok: boolean;
  reasons: string[];
}

export function judgeSoak(input: {
  slopesMbPerMin: Map<number, number>;
  firstP99Ms: number;
  lastP99Ms: number;
  lostWrites: number;
}): SoakVerdict {
  const reasons: string[] = [];
  for (const [node, slope] of input.slopesMbPerMin) {
    if (slope > rssSlopeMbPerMinMax)
      reasons.push(
        `node ${node} RSS grows ${slope.toFixed(1)} MB/min (bound ${rssSlopeMbPerMinMax})`,
      );
  }
  if (input.lastP99Ms > p99DriftFactorMax * Math.max(input.firstP99Ms, 1))
    reasons.push(
      `p99 drifted from ${input.firstP99Ms} ms to ${input.lastP99Ms} ms (bound ${p99DriftFactorMax}x)`,
    );
  if (input.lostWrites > 0) reasons.push(`${input.lostWrites} acknowledged writes lost`);
  return { ok: reasons.length === 0, reasons };
}
