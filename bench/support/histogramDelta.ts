/**
 * What a Prometheus histogram gained between two scrapes, added up over several processes' pages (every worker's
 * exporter): the distribution of one measured window, where each page alone holds everything since its process
 * started. Quantiles by tools/metrics/scrape.ts's bucketQuantile, Prometheus's own rule.
 */
import { bucketQuantile, type LabelMatch, type Metrics } from '../../tools/metrics/scrape';

export interface WindowHistogram {
  count: number;
  mean: number;
  p50: number;
  p99: number;
}

/** Cumulative counts by upper bound, summed over pages and label sets. */
function buckets(pages: Metrics[], name: string, match: LabelMatch): Map<number, number> {
  const byBound = new Map<number, number>();
  for (const page of pages) {
    const h = page.histogram(name, match);
    for (const b of h?.buckets ?? []) byBound.set(b.le, (byBound.get(b.le) ?? 0) + b.count);
  }
  return byBound;
}

const total = (pages: Metrics[], name: string, match: LabelMatch) =>
  pages.reduce((n, p) => n + p.sum(name, match), 0);

/** The window's histogram between `before` and `after` (the same processes, scraped in the same order); null when absent. */
export function histogramDelta(
  before: Metrics[],
  after: Metrics[],
  name: string,
  match: LabelMatch = {},
): WindowHistogram | null {
  const end = buckets(after, name, match);
  if (end.size === 0) return null;
  const start = buckets(before, name, match);
  const delta = [...end.entries()]
    .map(([le, count]) => ({ le, count: count - (start.get(le) ?? 0) }))
    .sort((a, b) => a.le - b.le);
  const count = total(after, `${name}_count`, match) - total(before, `${name}_count`, match);
  const sum = total(after, `${name}_sum`, match) - total(before, `${name}_sum`, match);
  return {
    count,
    mean: count === 0 ? NaN : sum / count,
    p50: bucketQuantile(0.5, delta),
    p99: bucketQuantile(0.99, delta),
  };
}
