/** Sorted, disjoint half-open intervals [start[i], end[i]) in epoch ms, as parallel arrays. */
export interface IntervalList {
  start: number[];
  end: number[];
}

/** Sorts and merges half-open intervals; touching ones merge too, since their union is seamless. Empty ones vanish. */
export function mergeIntervals(intervals: readonly { start: number; end: number }[]): IntervalList {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: IntervalList = { start: [], end: [] };
  for (const { start, end } of sorted) {
    const last = out.end.length - 1;
    if (last >= 0 && start <= out.end[last]) out.end[last] = Math.max(out.end[last], end);
    else {
      out.start.push(start);
      out.end.push(end);
    }
  }
  return out;
}

/** `from` minus `cut`, both sorted and disjoint, by one sweep. */
export function subtractIntervals(from: IntervalList, cut: IntervalList): IntervalList {
  const out: IntervalList = { start: [], end: [] };
  let j = 0;
  for (let i = 0; i < from.start.length; i++) {
    let start = from.start[i];
    const end = from.end[i];
    while (j < cut.start.length && cut.end[j] <= start) j++;
    for (let k = j; k < cut.start.length && cut.start[k] < end; k++) {
      if (cut.start[k] > start) {
        out.start.push(start);
        out.end.push(cut.start[k]);
      }
      start = Math.max(start, cut.end[k]);
    }
    if (start < end) {
      out.start.push(start);
      out.end.push(end);
    }
  }
  return out;
}
