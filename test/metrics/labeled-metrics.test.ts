/**
 * The plain-number counters and histograms, written out by prom-client's own Registry: the
 * text must be what prom-client's Counter and Histogram write for the same observations.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabeledCounter, LabeledHistogram } from '../../lib/metrics/labeled-metrics.js';

const BOUNDS = [0.1, 1, 10];
const observations = [0.05, 0.1, 0.5, 3, 10, 11, 1e9, 0];

describe('LabeledCounter and LabeledHistogram', () => {
  it('write exactly what prom-client’s own Counter and Histogram write for the same observations', async () => {
    const ours = new Registry();
    const counter = new LabeledCounter('demo_total', 'A counter with "quotes" and \\ backslashes.', ['key', 'model'], ours);
    const histogram = new LabeledHistogram('demo_seconds', 'A histogram.', ['model'], BOUNDS, ours);
    const theirs = new Registry();
    const promCounter = new Counter({ name: 'demo_total', help: 'A counter with "quotes" and \\ backslashes.', labelNames: ['key', 'model'], registers: [theirs] });
    const promHistogram = new Histogram({ name: 'demo_seconds', help: 'A histogram.', labelNames: ['model'], buckets: BOUNDS, registers: [theirs] });
    for (const [key, model, amount] of [['a"b', 'gpt-4o', 1], ['a"b', 'gpt-4o', 2.5], ['c\\d\ne', 'other', 0.125]] as const) {
      counter.series(key, model).inc(amount);
      promCounter.labels(key, model).inc(amount);
    }
    // Series looked up but never counted into are not written out, as with prom-client's children.
    counter.series('never', 'counted');
    promCounter.labels('never', 'counted');
    histogram.series('never-observed');
    promHistogram.labels('never-observed');
    for (const value of observations) {
      for (const model of ['gpt-4o', 'other']) {
        histogram.series(model).observe(value);
        promHistogram.labels(model).observe(value);
      }
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('ignore what a counter or a histogram cannot take, and check the count of label values', async () => {
    const registry = new Registry();
    const counter = new LabeledCounter('c_total', 'c', ['a'], registry);
    const histogram = new LabeledHistogram('h', 'h', ['a'], BOUNDS, registry);
    counter.series('x').inc(-1);
    counter.series('x').inc(Number.NaN);
    counter.series('x').inc();
    histogram.series('x').observe(Number.NaN);
    histogram.series('x').observe(Number.POSITIVE_INFINITY);
    histogram.series('x').observe(2);
    const text = await registry.metrics();
    expect(text).toContain('c_total{a="x"} 1\n');
    expect(text).toContain('h_count{a="x"} 1\n');
    expect(text).toContain('h_bucket{le="10",a="x"} 1\n');
    expect(() => counter.series('x', 'y')).toThrow(TypeError);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('c_total{');
  });
});
