import { expect } from 'chai';
import { computeSlots } from '../../scheduling';
import { slotsPlot } from '../../bench/slotsPlot';
import { oneClinician, practice } from '../../bench/slotsScenarios';

const polylines = (svg: string) =>
  [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    m[1].split(' ').map((p) => p.split(',').map(Number) as [number, number]),
  );

describe('slot benchmark plot and scenarios', () => {
  it('draws one line per implementation and panel on a log scale shared by the panels', () => {
    const svg = slotsPlot(
      [
        {
          title: 'Days',
          xLabel: 'days',
          xs: [7, 31, 90],
          series: [{ name: 'engine', values: [0.1, 1, 10] }],
        },
        {
          title: 'Busy',
          xLabel: 'busy intervals',
          xs: [0, 200],
          series: [
            { name: 'engine', values: [1, 1] },
            { name: 'peer', values: [100, null] },
          ],
        },
      ],
      'caption',
    );
    const [days, busyEngine, busyPeer] = polylines(svg);
    expect(days).to.have.length(3);
    // Each tenfold step rises by the same height, and 1 ms sits at the same height in both panels.
    expect(days[0][1] - days[1][1]).to.be.closeTo(days[1][1] - days[2][1], 0.2);
    expect(busyEngine[0][1]).to.be.closeTo(days[1][1], 0.2);
    expect(busyPeer).to.have.length(1);
    expect(busyEngine[0][1] - busyPeer[0][1]).to.be.closeTo(2 * (days[1][1] - days[2][1]), 0.2);
    expect(svg).to.contain('>engine</text>').and.to.contain('>peer</text>').and.to.contain('log scale');
    expect(svg.match(/>engine<\/text>/g)).to.have.length(1);
  });

  it('keeps the published scenarios: (a) and (b) offer the slots slots.md reported before the move', () => {
    expect(oneClinician().flatMap((q) => computeSlots(q))).to.have.length(2557);
    expect(practice().flatMap((q) => computeSlots(q))).to.have.length(12351);
  });
});
