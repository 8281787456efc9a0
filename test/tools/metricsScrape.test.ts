import { expect } from 'chai';
import { Counter, Histogram, Registry } from 'prom-client';
import { bucketQuantile, Metrics, parsePrometheus } from '../../tools/metrics/scrape';

describe('tools/metrics/scrape: reading a Prometheus page', () => {
  it('parses labels with escaped quotes, backslashes and newlines, and +Inf', () => {
    const samples = parsePrometheus(
      [
        '# HELP x_total A counter.',
        '# TYPE x_total counter',
        'x_total{path="/a\\"b",note="back\\\\slash\\nline"} 3',
        'y_bucket{le="+Inf"} 7 1700000000000',
        'z 1.5e3',
      ].join('\n'),
    );
    expect(samples).to.deep.equal([
      { name: 'x_total', labels: { path: '/a"b', note: 'back\\slash\nline' }, value: 3 },
      { name: 'y_bucket', labels: { le: '+Inf' }, value: 7 },
      { name: 'z', labels: {}, value: 1500 },
    ]);
  });

  it('refuses a line that is not a sample instead of reading a wrong figure', () => {
    expect(() => parsePrometheus('x{a="1" 2')).to.throw(/not a Prometheus sample line/);
    expect(() => parsePrometheus('x{a=1} 2')).to.throw(/bad labels/);
  });

  it("reads prom-client's own page: counters summed over matching label sets, label values listed", async () => {
    const registry = new Registry();
    const c = new Counter({
      name: 'req_total',
      help: 'h',
      labelNames: ['route', 'code'],
      registers: [registry],
    });
    c.inc({ route: '/a/:id', code: '200' }, 4);
    c.inc({ route: '/a/:id', code: '404' }, 1);
    c.inc({ route: '/b', code: '200' }, 2);
    const m = Metrics.parse(await registry.metrics());
    expect(m.sum('req_total')).to.equal(7);
    expect(m.sum('req_total', { route: '/a/:id' })).to.equal(5);
    expect(m.sum('req_total', { code: /^2/ })).to.equal(6);
    expect(m.sum('req_total', { missing: 'x' })).to.equal(0);
    expect(m.labelValues('req_total', 'route').sort()).to.deep.equal(['/a/:id', '/b']);
  });

  it('estimates p50 and p99 from buckets as histogram_quantile does, over the label sets that match', async () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'lat_seconds',
      help: 'h',
      labelNames: ['route'],
      buckets: [0.1, 0.2, 0.4, 0.8],
      registers: [registry],
    });
    // 100 observations: 50 in (0, 0.1], 40 in (0.1, 0.2], 9 in (0.2, 0.4], 1 past 0.8.
    for (let i = 0; i < 50; i++) h.observe({ route: '/a' }, 0.05);
    for (let i = 0; i < 40; i++) h.observe({ route: '/b' }, 0.15);
    for (let i = 0; i < 9; i++) h.observe({ route: '/b' }, 0.3);
    h.observe({ route: '/b' }, 5);
    const m = Metrics.parse(await registry.metrics());
    const all = m.histogram('lat_seconds')!;
    expect(all.count).to.equal(100);
    expect(all.sum).to.be.closeTo(50 * 0.05 + 40 * 0.15 + 9 * 0.3 + 5, 1e-9);
    // Rank 50 is the last of the first bucket: its upper bound.
    expect(all.p50).to.be.closeTo(0.1, 1e-9);
    // Rank 99 is the last of the (0.2, 0.4] bucket.
    expect(all.p99).to.be.closeTo(0.4, 1e-9);
    const b = m.histogram('lat_seconds', { route: '/b' })!;
    expect(b.count).to.equal(50);
    // Rank 25 of 50: 25 of the 40 in (0.1, 0.2], linearly.
    expect(b.p50).to.be.closeTo(0.1 + 0.1 * (25 / 40), 1e-9);
    // Rank 49.5 falls in the (0.2, 0.4] bucket (cumulative 40 → 49): past it, only the +Inf bucket is left.
    expect(b.p99).to.equal(0.8);
    expect(m.histogram('nothing_here')).to.equal(null);
  });

  it('gives the highest finite bound for a rank in the +Inf bucket, NaN for an empty histogram', () => {
    expect(
      bucketQuantile(0.99, [
        { le: 1, count: 1 },
        { le: Infinity, count: 10 },
      ]),
    ).to.equal(1);
    expect(Number.isNaN(bucketQuantile(0.5, [{ le: Infinity, count: 0 }]))).to.equal(true);
  });
});
