/** One line of a panel: an implementation's median ms at each x of the panel. */
export interface PlotSeries {
  name: string;
  values: (number | null)[];
}

/** One panel: a size dimension along x, one line per implementation. */
export interface PlotPanel {
  title: string;
  xLabel: string;
  xs: number[];
  series: PlotSeries[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f'];
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const label = (ms: number) => (ms >= 1 ? `${ms} ms` : `${ms * 1000} µs`);

/**
 * Panels side by side as a hand-written SVG: x evenly spaced by the dimension's values (they are chosen
 * roughly geometric), y log10 of milliseconds shared by all panels so lines compare across them, a legend
 * naming each implementation once. No plotting dependency: the file is plain text a reviewer can diff.
 */
export function slotsPlot(panels: PlotPanel[], caption: string): string {
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const all = panels
    .flatMap((p) => p.series.flatMap((s) => s.values))
    .filter((v): v is number => v !== null && v > 0);
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.ceil(Math.log10(Math.max(...all)));
  const [pw, ph, left, top, gap] = [300, 260, 70, 50, 40];
  const width = left + panels.length * (pw + gap) + 20;
  const legendTop = top + ph + 70;
  const height = legendTop + 22 * Math.ceil(names.length / 2) + 30;
  const y = (ms: number) => top + ph - ((Math.log10(ms) - lo) / (hi - lo)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${escape(caption)}</text>`,
  ];
  panels.forEach((panel, pi) => {
    const x0 = left + pi * (pw + gap);
    const x = (i: number) =>
      x0 + (panel.xs.length === 1 ? pw / 2 : (i / (panel.xs.length - 1)) * (pw - 20) + 10);
    out.push(`<rect x="${x0}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
    out.push(
      `<text x="${x0 + pw / 2}" y="${top - 8}" text-anchor="middle" font-weight="bold">${escape(panel.title)}</text>`,
    );
    for (let e = lo; e <= hi; e++) {
      const yy = y(10 ** e);
      out.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
      if (pi === 0) out.push(`<text x="${x0 - 6}" y="${yy + 4}" text-anchor="end">${label(10 ** e)}</text>`);
    }
    panel.xs.forEach((v, i) => {
      out.push(`<line x1="${x(i)}" x2="${x(i)}" y1="${top + ph}" y2="${top + ph + 5}" stroke="#444"/>`);
      out.push(`<text x="${x(i)}" y="${top + ph + 18}" text-anchor="middle">${v}</text>`);
    });
    out.push(
      `<text x="${x0 + pw / 2}" y="${top + ph + 38}" text-anchor="middle">${escape(panel.xLabel)}</text>`,
    );
    for (const s of panel.series) {
      const color = COLORS[names.indexOf(s.name) % COLORS.length];
      const points = s.values.flatMap((v, i) =>
        v !== null && v > 0 ? [`${x(i).toFixed(1)},${y(v).toFixed(1)}`] : [],
      );
      out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const p of points) {
        const [px, py] = p.split(',');
        out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
      }
    }
  });
  out.push(
    `<text transform="translate(16 ${top + ph / 2}) rotate(-90)" text-anchor="middle">median ms per run, log scale</text>`,
  );
  names.forEach((name, i) => {
    const lx = left + (i % 2) * 480;
    const ly = legendTop + Math.floor(i / 2) * 22;
    const color = COLORS[i % COLORS.length];
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${escape(name)}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
