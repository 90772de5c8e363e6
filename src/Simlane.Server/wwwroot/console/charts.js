// Bar charts in plain SVG (no chart library): one bar group per bucket, one bar per series.
const NS = 'http://www.w3.org/2000/svg';

function node(tag, attributes) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

/**
 * labels: bucket labels; series: [{ name, color, values: number[] }]; format: value -> label text.
 * Answers an <svg class="chart"> with role="img" and an aria-label.
 */
export function barChart({ labels, series, format = String, width = 720, height = 220, title = '' }) {
  const pad = { left: 70, right: 10, top: 10, bottom: 40 };
  const svg = node('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title });
  const max = Math.max(1, ...series.flatMap(s => s.values));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const group = labels.length ? plotW / labels.length : plotW;
  const barW = Math.max(1, (group * 0.8) / Math.max(1, series.length));
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + plotH - (plotH * i) / 4;
    svg.append(node('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, stroke: '#e3e6ec' }));
    const label = node('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end' });
    label.textContent = format((max * i) / 4);
    svg.append(label);
  }
  labels.forEach((text, i) => {
    series.forEach((s, j) => {
      const v = s.values[i] || 0;
      const h = (plotH * v) / max;
      const bar = node('rect', { x: pad.left + i * group + group * 0.1 + j * barW, y: pad.top + plotH - h, width: barW, height: h, fill: s.color, 'data-value': v });
      const tip = node('title', {});
      tip.textContent = `${s.name} ${text}: ${format(v)}`;
      bar.append(tip);
      svg.append(bar);
    });
    if (labels.length <= 31 || i % Math.ceil(labels.length / 31) === 0) {
      const l = node('text', { x: pad.left + i * group + group / 2, y: height - pad.bottom + 14, 'text-anchor': 'middle' });
      l.textContent = text;
      svg.append(l);
    }
  });
  series.forEach((s, j) => {
    svg.append(node('rect', { x: pad.left + j * 120, y: height - 14, width: 10, height: 10, fill: s.color }));
    const l = node('text', { x: pad.left + j * 120 + 14, y: height - 5 });
    l.textContent = s.name;
    svg.append(l);
  });
  return svg;
}
