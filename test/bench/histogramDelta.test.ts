import { expect } from 'chai';
import { histogramDelta } from '../../bench/support/histogramDelta';
import { Metrics } from '../../tools/metrics/scrape';

/** A page with one histogram `lat` for workflow type `t`, buckets 10/100/+Inf holding these cumulative counts. */
const page = (t: string, counts: [number, number, number], sum: number) =>
  Metrics.parse(
    [
      `lat_bucket{workflow_type="${t}",le="10"} ${counts[0]}`,
      `lat_bucket{workflow_type="${t}",le="100"} ${counts[1]}`,
      `lat_bucket{workflow_type="${t}",le="+Inf"} ${counts[2]}`,
      `lat_sum{workflow_type="${t}"} ${sum}`,
      `lat_count{workflow_type="${t}"} ${counts[2]}`,
    ].join('\n'),
  );

describe('bench support: a histogram over one measured window, across processes', () => {
  it("counts only what the window added, over every process's page", () => {
    // Before the window: 100 fast observations on worker 1; during it, 10 slow ones on each worker.
    const before = [page('a', [100, 100, 100], 500), page('a', [0, 0, 0], 0)];
    const after = [page('a', [100, 110, 110], 500 + 10 * 50), page('a', [0, 10, 10], 10 * 50)];
    const h = histogramDelta(before, after, 'lat')!;
    expect(h.count).to.equal(20);
    expect(h.mean).to.equal(50);
    // Every window observation is in (10, 100]: the fast ones before it must not pull p50 to the first bucket.
    expect(h.p50).to.equal(55);
    expect(h.p99).to.be.closeTo(99.1, 1e-9);
    // Without the subtraction the 100 earlier observations would dominate.
    expect(histogramDelta([], after, 'lat')!.p50).to.be.below(10);
  });

  it('takes only the label sets asked for, and is null for a histogram nobody serves', () => {
    const before = [page('a', [0, 0, 0], 0)];
    const after = [page('a', [5, 5, 5], 5)];
    expect(histogramDelta(before, after, 'lat', { workflow_type: 'b' })).to.equal(null);
    expect(histogramDelta(before, after, 'other')).to.equal(null);
    expect(histogramDelta(before, after, 'lat', { workflow_type: /./ })!.count).to.equal(5);
  });
});
