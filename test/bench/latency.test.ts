import test from 'ava';
import {
  createLatencyHistogram,
  recordLatencyMs,
  summarizeLatency,
} from '../../src/bench/latency.js';

test('percentiles never exceed the largest latency recorded, whatever the bucket rounding', (t) => {
  const histogram = createLatencyHistogram();
  // 276.159 ms falls in a bucket whose top is 276.223 ms: the percentile must not report that.
  recordLatencyMs(histogram, 1);
  recordLatencyMs(histogram, 276.159);
  const figures = summarizeLatency(histogram);
  t.is(figures.max, 276.159);
  t.true(figures.p999 <= figures.max);
  t.true(figures.p99 <= figures.p999 && figures.p50 <= figures.p90);
});
