/** A small line chart as SVG: one x axis, any number of named series, no dependency. */
export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
}

const COLOURS = ['#005eb8', '#da291c', '#007f3b', '#ffb81c'];

export function lineChartSvg(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  logX?: boolean;
}): string {
  const width = 640;
  const height = 360;
  const pad = { left: 70, right: 150, top: 40, bottom: 50 };
  const all = options.series.flatMap((series) => series.points);
  const fx = (x: number) => (options.logX ? Math.log10(Math.max(x, 1)) : x);
  const xs = all.map((point) => fx(point.x));
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs, minX + 1);
  const maxY = Math.max(...all.map((point) => point.y), 1) * 1.1;
  const px = (x: number) => pad.left + ((fx(x) - minX) / (maxX - minX)) * (width - pad.left - pad.right);
  const py = (y: number) => height - pad.bottom - (y / maxY) * (height - pad.top - pad.bottom);
  const lines = options.series.map((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const path = series.points.map((point, i) => `${i === 0 ? 'M' : 'L'}${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`).join(' ');
    const dots = series.points.map(
      (point) => `<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="3" fill="${colour}"/>`,
    );
    const legendY = pad.top + 18 * index;
    return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots.join('')}
<rect x="${width - pad.right + 10}" y="${legendY - 9}" width="12" height="12" fill="${colour}"/><text x="${width - pad.right + 28}" y="${legendY + 1}">${escape(series.name)}</text>`;
  });
  const xTicks = [...new Set(all.map((point) => point.x))].sort((a, b) => a - b);
  const ticks = xTicks.map((x) => `<text x="${px(x).toFixed(1)}" y="${height - pad.bottom + 18}" text-anchor="middle">${x}</text>`);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = maxY * f;
    return `<text x="${pad.left - 8}" y="${py(y).toFixed(1)}" text-anchor="end">${y >= 100 ? y.toFixed(0) : y.toFixed(1)}</text><line x1="${pad.left}" x2="${width - pad.right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escape(options.title)}</text>
${yTicks.join('\n')}
${ticks.join('\n')}
<text x="${(pad.left + width - pad.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(options.xLabel)}</text>
<text x="16" y="${height / 2}" text-anchor="middle" transform="rotate(-90 16 ${height / 2})">${escape(options.yLabel)}</text>
${lines.join('\n')}
</svg>
`;
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
