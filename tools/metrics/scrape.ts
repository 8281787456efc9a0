/**
 * Reads what a Prometheus endpoint serves (the API's METRICS_PORT, the Temporal SDK's TEMPORAL_METRICS_PORT) and
 * summarises it the way an operator's dashboard would: counters summed over label sets, histograms as count, mean
 * and p50/p99 estimated from the buckets (Prometheus's own histogram_quantile rule). The cluster script and the
 * load benchmark read their figures through it, so a figure in a report is one a scraper would have seen.
 */

/** One sample line: `name{label="value",...} 1.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Which label sets to take: every label named here must have this value (absent labels never match). */
export type LabelMatch = Record<string, string | RegExp>;

/** One histogram (or several label sets of it added up), with quantiles estimated from its buckets. */
export interface HistogramSummary {
  count: number;
  sum: number;
  /** sum / count; NaN when empty. */
  mean: number;
  p50: number;
  p99: number;
  /** Cumulative counts by upper bound, ascending; the last is +Infinity. */
  buckets: { le: number; count: number }[];
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function number(raw: string): number {
  if (raw === '+Inf' || raw === 'Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

/** Parses the Prometheus text exposition format (0.0.4); comment lines (HELP, TYPE) are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      for (let l = LABEL.exec(m[3]); l; l = LABEL.exec(m[3])) {
        labels[l[1]] = unescape(l[2]);
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[3].length) throw new Error(`bad labels in: ${line}`);
    }
    samples.push({ name: m[1], labels, value: number(m[4]) });
  }
  return samples;
}

function matches(labels: Record<string, string>, match: LabelMatch): boolean {
  return Object.entries(match).every(([k, want]) => {
    const have = labels[k];
    if (have === undefined) return false;
    return typeof want === 'string' ? have === want : want.test(have);
  });
}

/**
 * The estimate of quantile q (0..1) from cumulative buckets, as Prometheus's histogram_quantile: linear within
 * the bucket the rank falls in (from 0 for the first bucket); a rank in the +Inf bucket gives the highest finite
 * bound, since nothing says how far past it the values went.
 */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return lowerBound;
      if (b.count === lowerCount) return b.le;
      return lowerBound + ((b.le - lowerBound) * (rank - lowerCount)) / (b.count - lowerCount);
    }
    lowerBound = b.le;
    lowerCount = b.count;
  }
  return lowerBound;
}

/** A scraped page, asked for by metric name and labels. */
export class Metrics {
  constructor(readonly samples: Sample[]) {}

  static parse(text: string): Metrics {
    return new Metrics(parsePrometheus(text));
  }

  /** Samples of one name whose labels match. */
  find(name: string, match: LabelMatch = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && matches(s.labels, match));
  }

  /** A counter's or gauge's samples added up over the label sets that match (0 when there are none). */
  sum(name: string, match: LabelMatch = {}): number {
    return this.find(name, match).reduce((n, s) => n + s.value, 0);
  }

  /** The distinct values one label takes on a metric (e.g. every `route` the API has seen). */
  labelValues(name: string, label: string, match: LabelMatch = {}): string[] {
    return [...new Set(this.find(name, match).flatMap((s) => (label in s.labels ? [s.labels[label]] : [])))];
  }

  /**
   * A histogram's label sets that match, added up bucket by bucket (so "every route" is one distribution); null
   * when the page has no such histogram. `name` is the base name, without `_bucket`/`_sum`/`_count`.
   */
  histogram(name: string, match: LabelMatch = {}): HistogramSummary | null {
    const bucketSamples = this.find(`${name}_bucket`, match);
    if (bucketSamples.length === 0) return null;
    const byBound = new Map<number, number>();
    for (const s of bucketSamples) {
      const le = number(s.labels.le);
      byBound.set(le, (byBound.get(le) ?? 0) + s.value);
    }
    const buckets = [...byBound.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
    const count = this.sum(`${name}_count`, match);
    const sum = this.sum(`${name}_sum`, match);
    return {
      count,
      sum,
      mean: count === 0 ? NaN : sum / count,
      p50: bucketQuantile(0.5, buckets),
      p99: bucketQuantile(0.99, buckets),
      buckets,
    };
  }
}

/** GETs a Prometheus endpoint (`http://host:port/metrics`) and parses it; throws on a non-200 answer. */
export async function scrape(url: string, timeoutMs = 10_000): Promise<Metrics> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return Metrics.parse(await res.text());
}
