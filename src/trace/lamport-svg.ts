import type { ReportData } from './report-data.js';
import {
  diagramRowPx,
  diagramTickPx,
  messageStride,
  selectMessages,
  type DiagramFilter,
  type DiagramLayout,
} from './diagram-window.js';

/*
 * The Lamport diagram as an SVG string: a lane per node, time downwards, messages as arrows,
 * drops as ✗, kills, pauses and partitions as bands. Plain functions that import only
 * diagram-window, so the report page inlines both modules' compiled JS and `quartet report --svg`
 * runs the same code.
 * Only what falls in the window [fromY, toY] is drawn: that keeps 100,000 messages usable.
 */

export interface DiagramView {
  fromY: number;
  toY: number;
  selectedOp: number;
  /** Lane labels on top and the stylesheet inside: a file that stands alone. */
  standalone: boolean;
}

export const diagramCss =
  '.lane{stroke:#9aa5b1;stroke-width:1}.lane-label{font:600 13px sans-serif;fill:#1f2933;text-anchor:middle}' +
  '.arrow{stroke:#3e4c59;stroke-width:1.3;marker-end:url(#head)}.arrow.bg{stroke:#b8c2cc;stroke-dasharray:3 2}' +
  '.arrow.k-write,.arrow.k-write-reply{stroke:#2680c2}.arrow.k-read,.arrow.k-read-reply{stroke:#27ab83}' +
  '.arrow.k-repair{stroke:#d64545;stroke-width:2}.arrow.drop{stroke:#cf1124;marker-end:none;stroke-dasharray:4 3}' +
  '.pending{stroke:#e8a33d;stroke-dasharray:2 3}.x{fill:#cf1124;font:bold 14px sans-serif;text-anchor:middle;dominant-baseline:middle}' +
  '.sel{stroke-width:3}.dim{opacity:.25}.mlabel{font:10px sans-serif;fill:#52606d}' +
  '.band-down{fill:#1f2933;opacity:.18}.band-paused{fill:#e8a33d;opacity:.25}.band-partitioned{fill:#8e44ad;opacity:.15}' +
  '.op-mark{fill:#fff;stroke:#1f2933;stroke-width:1.5;cursor:pointer}.op-mark.done{fill:#1f2933}' +
  '.met{stroke:#27ab83;stroke-width:3}.mark{fill:#e8a33d}.op-label{font:11px sans-serif;fill:#1f2933}' +
  '.tick{font:10px sans-serif;fill:#7b8794}.tick-line{stroke:#e4e7eb;stroke-width:1}';

export function renderLamportSvg(
  data: ReportData,
  layout: DiagramLayout,
  filter: DiagramFilter,
  view: DiagramView,
): string {
  const top = view.standalone ? 0 : view.fromY;
  const height = (view.standalone ? layout.height : view.toY) - top;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${Math.ceil(height)}" viewBox="0 ${top} ${layout.width} ${Math.ceil(height)}">`,
  ];
  if (view.standalone) parts.push(`<style>${diagramCss}</style>`);
  parts.push(
    '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>',
  );
  const firstTick = Math.ceil(Math.max(top, layout.top) / diagramTickPx) * diagramTickPx;
  for (let y = firstTick; y <= top + height; y += diagramTickPx)
    parts.push(
      `<line class="tick-line" x1="0" x2="${layout.width}" y1="${y}" y2="${y}"/><text class="tick" x="4" y="${y - 3}">${(layout.tOf(y) / 1000).toFixed(3)} ms</text>`,
    );
  for (const node of data.nodes) {
    const x = layout.laneX(node);
    if (filter.node >= 0 && node !== filter.node) parts.push(`<g class="dim">`);
    else parts.push('<g>');
    parts.push(
      `<line class="lane" x1="${x}" x2="${x}" y1="${Math.max(top, layout.top)}" y2="${top + height}"/>`,
    );
    if (view.standalone) parts.push(`<text class="lane-label" x="${x}" y="18">n${node}</text>`);
    parts.push('</g>');
  }
  for (const [node, kind, fromT, toT, label] of data.bands) {
    const y1 = layout.yOf(Math.max(fromT, filter.fromT));
    const y2 =
      layout.yOf(toT < 0 ? filter.toT : Math.min(toT, filter.toT)) + (toT < 0 ? diagramRowPx : 0);
    if (y2 < view.fromY || y1 > view.toY || (toT >= 0 && toT < filter.fromT) || fromT > filter.toT)
      continue;
    parts.push(
      `<rect class="band band-${data.bandKinds[kind] ?? 'down'}" x="${layout.laneX(node) - 9}" y="${y1}" width="18" height="${Math.max(2, y2 - y1)}"><title>n${node} ${escapeXml(label)}</title></rect>`,
    );
  }
  for (const [t, node, label] of data.marks) {
    if (t < filter.fromT || t > filter.toT) continue;
    const y = layout.yOf(t);
    if (y < view.fromY || y > view.toY) continue;
    const x = layout.laneX(node);
    parts.push(
      `<path class="mark" d="M${x - 5},${y}L${x},${y - 5}L${x + 5},${y}L${x},${y + 5}z"><title>${escapeXml(label)}</title></path>`,
    );
  }
  for (const index of selectMessages(data, layout, filter, view.fromY, view.toY))
    parts.push(drawMessage(data, layout, index, view.selectedOp));
  for (const op of data.ops) drawOperation(parts, data, layout, filter, view, op);
  parts.push('</svg>');
  return parts.join('');
}

function drawMessage(
  data: ReportData,
  layout: DiagramLayout,
  index: number,
  selectedOp: number,
): string {
  const m = data.m;
  const base = index * messageStride;
  const [sentT, endT, from, to, kind, op, , fate, delayUs] = m.slice(
    base,
    base + messageStride,
  ) as number[];
  const kindName = data.kinds[kind ?? 0] ?? 'read';
  const x1 = layout.laneX(from ?? 0);
  const x2 = layout.laneX(to ?? 0);
  const y1 = layout.yOf(sentT ?? 0);
  const bg = data.background.includes(kind ?? 0) ? ' bg' : '';
  const sel = op === selectedOp && op !== -1 ? ' sel' : '';
  const title = `<title>${kindName} n${from}→n${to}${op === -1 ? '' : ` op ${op}`}, delay ${((delayUs ?? 0) / 1000).toFixed(2)} ms${(fate ?? 0) > 0 ? `, dropped: ${data.whys[(fate ?? 1) - 1]}` : ''}</title>`;
  const attrs = `data-m="${index}" data-op="${op}"`;
  if ((fate ?? 0) < 0) {
    const y2 = layout.yOf(data.endT);
    return `<line class="pending" ${attrs} x1="${x1}" y1="${y1}" x2="${x2}" y2="${Math.max(y2, y1 + 4)}">${title}</line>`;
  }
  const y2 = Math.max(layout.yOf(endT ?? 0), y1 + 4);
  if ((fate ?? 0) > 0) {
    const xd = x1 + (x2 - x1) * 0.6;
    return `<g><line class="arrow drop k-${kindName}${sel}" ${attrs} x1="${x1}" y1="${y1}" x2="${xd}" y2="${y2}">${title}</line><text class="x" x="${xd}" y="${y2}">✗</text></g>`;
  }
  const label =
    bg === '' && Math.abs(x2 - x1) > 90
      ? `<text class="mlabel" x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 3}">${kindName}</text>`
      : '';
  return `<line class="arrow k-${kindName}${bg}${sel}" ${attrs} x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}">${title}</line>${label}`;
}

function drawOperation(
  parts: string[],
  data: ReportData,
  layout: DiagramLayout,
  filter: DiagramFilter,
  view: DiagramView,
  op: ReportData['ops'][number],
): void {
  const [id, , node, kind, key, level, invokeT, completeT, metT] = op;
  if (invokeT > filter.toT || (completeT >= 0 && completeT < filter.fromT)) return;
  if (
    (filter.op >= 0 && id !== filter.op) ||
    (filter.key >= 0 && key !== filter.key) ||
    (filter.level >= 0 && level !== filter.level)
  )
    return;
  const x = layout.laneX(node);
  const y = layout.yOf(invokeT);
  if (y > view.toY || layout.yOf(completeT < 0 ? data.endT : completeT) < view.fromY) return;
  const sel = id === view.selectedOp ? ' sel' : '';
  const what = `op ${id} ${kind} ${data.keys[key] ?? ''} ${data.levels[level] ?? ''}`;
  parts.push(
    `<circle class="op-mark${sel}" data-op="${id}" cx="${x}" cy="${y}" r="5"><title>${escapeXml(what)}</title></circle>`,
  );
  parts.push(
    `<text class="op-label" data-op="${id}" x="${x - 10}" y="${y + 4}" text-anchor="end">${escapeXml(what)}</text>`,
  );
  if (metT >= 0)
    parts.push(
      `<line class="met" x1="${x - 9}" x2="${x + 9}" y1="${layout.yOf(metT)}" y2="${layout.yOf(metT)}"><title>op ${id}: level met</title></line>`,
    );
  if (completeT >= 0)
    parts.push(
      `<rect class="op-mark done${sel}" data-op="${id}" x="${x - 4}" y="${layout.yOf(completeT) - 4}" width="8" height="8"><title>op ${id} completes</title></rect>`,
    );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;',
  );
}
