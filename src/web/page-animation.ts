/*
 * The live page's drawing of the cluster (vanilla JS, run in the browser): the ring's token
 * ranges as coloured arcs, the nodes inside it, and each traced message moving from its sender
 * to its receiver over its real delay. The animation runs on its own clock (`view.playUs`, in
 * trace time): pause and speed change only the drawing, never the cluster.
 */
export const animationScript = String.raw`
const svgNs = 'http://www.w3.org/2000/svg';
const palette = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#be185d', '#4d7c0f', '#92400e'];
const kindColour = { write: '#1d4ed8', 'write-reply': '#93c5fd', read: '#047857', 'read-reply': '#6ee7b7',
  repair: '#ea580c', ping: '#9aa5b1', tree: '#7c3aed', 'tree-reply': '#c4b5fd', range: '#7c3aed', 'range-reply': '#c4b5fd' };
const background = new Set(['ping', 'tree', 'range', 'tree-reply', 'range-reply']);
/** Messages the page animates at once; older ones are forgotten first. */
const pageMessagesMax = 4000;
/** How far the drawing runs behind the newest event: node batches arrive up to this late. */
const liveLagUs = 700000;
const dropShowUs = 1500000;
const centre = 260, nodeRadius = 150, ringRadius = 225;
const view = { playUs: -1, newestUs: 0, newestAtMs: 0, paused: false, speed: 1, lastFrameMs: 0,
  messages: new Map(), showBackground: false };

const colourOf = (id) => palette[(id - 1) % palette.length];
const svgEl = (name, attrs) => {
  const el = document.createElementNS(svgNs, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
function angleOf(position) { return (position / 4294967296) * 2 * Math.PI - Math.PI / 2; }
function pointAt(angle, radius) { return [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)]; }
function nodePoint(id) {
  const i = CLUSTER.nodes.findIndex((n) => n.id === id);
  return pointAt(-Math.PI / 2 + (i * 2 * Math.PI) / CLUSTER.nodes.length, nodeRadius);
}

function drawCluster() {
  const svg = document.getElementById('cluster');
  svg.replaceChildren();
  const tokens = CLUSTER.tokens;
  tokens.forEach((token, i) => {
    const previous = tokens[(i + tokens.length - 1) % tokens.length];
    let a0 = angleOf(previous.position), a1 = angleOf(token.position);
    if (a1 <= a0) a1 += 2 * Math.PI;
    const [x0, y0] = pointAt(a0, ringRadius), [x1, y1] = pointAt(a1, ringRadius);
    const arc = svgEl('path', { class: 'arc', stroke: colourOf(token.node),
      d: 'M' + x0 + ' ' + y0 + ' A' + ringRadius + ' ' + ringRadius + ' 0 ' + (a1 - a0 > Math.PI ? 1 : 0) + ' 1 ' + x1 + ' ' + y1 });
    arc.appendChild(svgEl('title', {})).textContent = 'token range of n' + token.node;
    svg.appendChild(arc);
  });
  const links = svgEl('g', { id: 'link-lines' });
  svg.appendChild(links);
  for (const node of CLUSTER.nodes) {
    const [x, y] = nodePoint(node.id);
    const g = svgEl('g', { 'data-node': node.id });
    g.appendChild(svgEl('circle', { class: 'node-dot', id: 'dot-' + node.id, cx: x, cy: y, r: 30, fill: colourOf(node.id) }));
    g.appendChild(svgEl('text', { class: 'node-label', x, y })).textContent = 'n' + node.id;
    svg.appendChild(g);
  }
  svg.appendChild(svgEl('g', { id: 'messages' }));
  svg.appendChild(svgEl('g', { id: 'key-layer' }));
}

/** Cut links as dashed red lines between the nodes. */
function drawLinkLines(linkState) {
  const layer = document.getElementById('link-lines');
  layer.replaceChildren();
  for (const link of linkState.links) {
    if (link.from > link.to) continue;
    const back = linkState.links.find((l) => l.from === link.to && l.to === link.from);
    const cut = link.blocked || (back && back.blocked);
    const [x1, y1] = nodePoint(link.from), [x2, y2] = nodePoint(link.to);
    layer.appendChild(svgEl('line', { class: cut ? 'link-cut' : 'link', x1, y1, x2, y2 }));
  }
}

/** The key's point on the ring and its replicas ringed; undefined clears it. */
function markKey(info) {
  const layer = document.getElementById('key-layer');
  layer.replaceChildren();
  for (const dot of document.querySelectorAll('.node-dot')) dot.classList.remove('replica');
  if (!info) return;
  const [x, y] = pointAt(angleOf(info.range.hash), ringRadius);
  layer.appendChild(svgEl('circle', { class: 'key-mark', cx: x, cy: y, r: 9 }));
  layer.appendChild(svgEl('text', { x, y: y - 14, 'text-anchor': 'middle', 'font-size': 14 })).textContent = 'key ' + info.key;
  for (const id of info.replicas) document.getElementById('dot-' + id)?.classList.add('replica');
}

function addTraceEvents(events) {
  for (const event of events) {
    if (event.t > view.newestUs) { view.newestUs = event.t; view.newestAtMs = performance.now(); }
    if (event.type === 'msg-send') {
      view.messages.set(event.msg, { ...event, endT: undefined, why: undefined, el: undefined });
      countMessage('sent', event);
      if (view.messages.size > pageMessagesMax) forgetMessage(view.messages.keys().next().value);
    } else if (event.type === 'msg-deliver' || event.type === 'msg-drop') {
      const message = view.messages.get(event.msg);
      if (message === undefined) continue;
      message.endT = event.t;
      if (event.type === 'msg-drop') {
        message.why = event.why;
        message.el?.remove();
        message.el = undefined; // drawn again as a cross
        noteDrop(message);
      }
      else countMessage('delivered', message);
    }
  }
  if (view.playUs < 0 && view.newestUs > 0) view.playUs = view.newestUs - liveLagUs;
}

function forgetMessage(id) {
  const message = view.messages.get(id);
  message?.el?.remove();
  view.messages.delete(id);
}

function liveUs() { return view.newestUs + (performance.now() - view.newestAtMs) * 1000 - liveLagUs; }

function frame(nowMs) {
  const dtMs = view.lastFrameMs === 0 ? 0 : nowMs - view.lastFrameMs;
  view.lastFrameMs = nowMs;
  if (!view.paused && view.playUs >= 0) view.playUs = Math.min(liveUs(), view.playUs + dtMs * 1000 * view.speed);
  drawMessages();
  const behind = view.playUs < 0 ? 0 : (liveUs() - view.playUs) / 1000;
  document.getElementById('a-lag').textContent = view.paused ? 'paused' : behind > 50 ? Math.round(behind) + ' ms behind live' : 'live';
  requestAnimationFrame(frame);
}

function drawMessages() {
  const layer = document.getElementById('messages');
  const t = view.playUs;
  for (const [id, m] of view.messages) {
    const arriveT = m.endT ?? m.t + m.delayMs * 1000;
    const goneT = m.why === undefined ? arriveT : arriveT + dropShowUs;
    if (t > goneT && m.endT !== undefined) { forgetMessage(id); continue; }
    const hidden = t < m.t || (!view.showBackground && background.has(m.kind));
    if (hidden) { if (m.el) m.el.style.display = 'none'; continue; }
    // A dropped message goes half way (partition, loss) and shows a cross where it was lost.
    const span = Math.max(arriveT - m.t, 1);
    const reach = m.why === undefined ? 1 : 0.5;
    const f = Math.min(1, (t - m.t) / span) * reach;
    const [x1, y1] = nodePoint(m.from), [x2, y2] = nodePoint(m.to);
    const x = x1 + (x2 - x1) * f, y = y1 + (y2 - y1) * f;
    if (!m.el) {
      m.el = m.why === undefined ? svgEl('circle', { class: 'msg', r: background.has(m.kind) ? 4 : 7, fill: kindColour[m.kind] ?? '#52606d' })
        : svgEl('path', { class: 'drop' });
      m.el.appendChild(svgEl('title', {})).textContent = m.kind + ' n' + m.from + '→n' + m.to + (m.key === undefined ? '' : ' key ' + m.key);
      layer.appendChild(m.el);
    }
    m.el.style.display = '';
    if (m.why === undefined) { m.el.setAttribute('cx', x); m.el.setAttribute('cy', y); }
    else {
      m.el.setAttribute('d', 'M' + (x - 8) + ' ' + (y - 8) + 'L' + (x + 8) + ' ' + (y + 8) + 'M' + (x + 8) + ' ' + (y - 8) + 'L' + (x - 8) + ' ' + (y + 8));
    }
  }
}

function initAnimationControls() {
  const pause = document.getElementById('a-pause');
  pause.addEventListener('click', () => {
    view.paused = !view.paused;
    pause.textContent = view.paused ? 'Resume animation' : 'Pause animation';
  });
  document.getElementById('a-speed').addEventListener('change', (e) => { view.speed = Number(e.target.value); });
  document.getElementById('a-live').addEventListener('click', () => {
    view.playUs = liveUs(); view.paused = false; view.speed = 1;
    document.getElementById('a-speed').value = '1';
    pause.textContent = 'Pause animation';
  });
  document.getElementById('a-bg').addEventListener('change', (e) => { view.showBackground = e.target.checked; });
  requestAnimationFrame(frame);
}
`;
