import { animationScript } from './page-animation.js';
import { controlsScript } from './page-controls.js';

/*
 * The live page's script (vanilla JS, no build step): the event stream, the nodes' and links'
 * tables, the result rows and the key panel. Kept as strings so tsc ships them with the code.
 */
const mainScript = String.raw`
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
let CLUSTER = null;
/** Rows kept on the page; older ones are removed. */
const pageRowsMax = 500;
const counts = { sent: 0, delivered: 0, dropped: 0, why: {} };
const lastFault = new Map();
let lastStatus = null;
let lastStats = null;

function countMessage(what) {
  counts[what]++;
  renderCounts();
}
function noteDrop(message) {
  counts.dropped++;
  counts.why[message.why] = (counts.why[message.why] ?? 0) + 1;
  renderCounts();
  if (background.has(message.kind)) return;
  const li = document.createElement('li');
  li.textContent = message.kind + ' n' + message.from + '→n' + message.to +
    (message.key === undefined ? '' : ' key ' + message.key) + ': dropped (' + message.why + ')';
  $('drops').prepend(li);
  while ($('drops').children.length > 8) $('drops').lastChild.remove();
}
function renderCounts() {
  const why = Object.entries(counts.why).map(([w, n]) => w + ' ' + n).join(', ');
  $('msg-counts').innerHTML = 'messages (heartbeats too): <b id="msg-sent">' + counts.sent + '</b> sent, <b id="msg-delivered">' +
    counts.delivered + '</b> delivered, <b id="msg-dropped">' + counts.dropped + '</b> dropped' + (why ? ' (' + why + ')' : '');
}

function appendRow(item) {
  const row = document.createElement('div');
  const r = item.record;
  row.className = r.type === 'repair' ? 'repair' : r.ok === false ? 'err' : 'ok';
  row.dataset.seq = String(r.seq);
  row.dataset.op = r.op ?? r.type;
  if (r.key !== undefined) row.dataset.key = r.key;
  row.textContent = item.text.replace(/\n$/, '');
  $('rows').appendChild(row);
  while ($('rows').children.length > pageRowsMax) $('rows').firstChild.remove();
  $('rows').scrollTop = $('rows').scrollHeight;
  if (r.type === 'command' && r.ok && r.fault && r.fault.node !== undefined) lastFault.set(r.fault.node, r.fault.kind);
  if (r.type === 'command' && r.op === 'use') $('ps1').textContent = 'quartet n' + r.node + '>';
}

function stateOf(status) {
  if (status.state === 'down' && lastFault.get(status.id) === 'kill') return 'killed';
  if (status.state !== 'up' || !lastStatus) return status.state;
  const doubting = lastStatus.filter((other) => other.id !== status.id && other.peers &&
    other.peers.some((p) => p.node === status.id && p.state !== 'up'));
  return doubting.length > 0 ? 'suspect' : 'up';
}

function renderNodes(status) {
  lastStatus = status;
  if (!status) return;
  const cell = (v) => (v === null || v === undefined ? '–' : esc(v));
  const head = '<tr><th>node</th><th>state</th><th>keys</th><th>tombstones</th><th>hints kept</th><th>repairs pending</th><th>its view of the others</th></tr>';
  const rows = status.map((s) => {
    const state = stateOf(s);
    const hints = s.hints ? s.hints.reduce((sum, h) => sum + h.hints, 0) : null;
    const peers = s.peers ? s.peers.map((p) => 'n' + p.node + ' ' + p.state).join(', ') : '–';
    return '<tr data-node="' + s.id + '"><th>n' + s.id + '</th><td class="state st-' + state + '">' + state + '</td><td>' + cell(s.keys) +
      '</td><td>' + cell(s.tombstones) + '</td><td>' + cell(hints) + '</td><td>' + cell(s.pendingRepairs) + '</td><td>' + esc(peers) + '</td></tr>';
  });
  $('nodes').innerHTML = head + rows.join('');
  for (const s of status) {
    const dot = $('dot-' + s.id);
    if (dot) dot.setAttribute('class', 'node-dot ' + stateOf(s) + (dot.classList.contains('replica') ? ' replica' : ''));
  }
}

function renderLinks(state) {
  const ids = CLUSTER.nodes.map((n) => n.id);
  let html = '<tr><th>from \\ to</th>' + ids.map((id) => '<th>n' + id + '</th>').join('') + '</tr>';
  for (const from of ids) {
    html += '<tr><th>n' + from + '</th>' + ids.map((to) => {
      if (to === from) return '<td class="self"></td>';
      const link = state.links.find((l) => l.from === from && l.to === to);
      const text = link.delayMsMean + ' ms' + (link.lossRate > 0 ? ', ' + Math.round(link.lossRate * 100) + '% loss' : '');
      return link.blocked ? '<td class="cut" data-link="' + from + '-' + to + '">cut</td>' : '<td data-link="' + from + '-' + to + '">' + text + '</td>';
    }).join('') + '</tr>';
  }
  const skews = Object.entries(state.skewMs).filter(([, ms]) => ms !== 0).map(([n, ms]) => 'n' + n + ' ' + (ms > 0 ? '+' : '') + ms + ' ms');
  $('links').innerHTML = html + (skews.length ? '<tr><td colspan="' + (ids.length + 1) + '">clock skew: ' + skews.join(', ') + '</td></tr>' : '');
  drawLinkLines(state);
}

function renderStats(stats) {
  const previous = lastStats;
  lastStats = { ...stats, atMs: performance.now() };
  if (!previous) return;
  const rate = ((stats.sentBytes - previous.sentBytes) * 1000) / Math.max(1, lastStats.atMs - previous.atMs);
  $('stream').textContent = 'stream ' + (rate / 1024).toFixed(1) + ' KiB/s · ' + stats.droppedMessages +
    ' messages (' + stats.droppedEvents + ' events) dropped for this page';
  $('stream').dataset.dropped = String(stats.droppedEvents);
}

async function showKey(key, full) {
  const response = await fetch('/api/key?key=' + encodeURIComponent(key));
  const info = await response.json();
  if (!response.ok) { $('k-view').textContent = info.error.code + ': ' + info.error.message; return; }
  markKey(info);
  if (!full) return;
  const rows = info.versions.map((v) => '<tr data-node="' + v.node + '"><td>n' + v.node + (v.node === info.replicas[0] ? ' (primary)' : '') +
    '</td><td>' + esc(v.state) + '</td><td>' + (v.value === undefined ? '' : v.value === null ? '(tombstone)' : esc(v.value)) +
    '</td><td>' + esc(v.label ?? '') + '</td></tr>');
  $('k-view').innerHTML = '<p>key <b>' + esc(key) + '</b>: replicas ' + info.replicas.map((n) => 'n' + n).join(', ') + '</p>' +
    '<table id="k-versions"><tr><th>replica</th><th>state</th><th>value</th><th>version</th></tr>' + rows.join('') + '</table>';
}

function connect() {
  const source = new EventSource('/events');
  source.addEventListener('open', () => { $('conn').textContent = 'connected'; $('conn').className = ''; });
  source.addEventListener('error', () => { $('conn').textContent = 'disconnected (retrying)'; $('conn').className = 'down'; });
  source.addEventListener('hello', (e) => {
    const first = CLUSTER === null;
    CLUSTER = JSON.parse(e.data);
    if (first) { drawCluster(); buildControls(); initAnimationControls(); }
    $('rows').replaceChildren();
    CLUSTER.records.forEach(appendRow);
    renderLinks(CLUSTER.links);
    renderNodes(CLUSTER.status);
    renderCounts();
    document.body.dataset.ready = '1';
  });
  source.addEventListener('record', (e) => appendRow(JSON.parse(e.data)));
  source.addEventListener('nodes', (e) => renderNodes(JSON.parse(e.data)));
  source.addEventListener('links', (e) => renderLinks(JSON.parse(e.data)));
  source.addEventListener('trace', (e) => addTraceEvents(JSON.parse(e.data).events));
  source.addEventListener('stats', (e) => renderStats(JSON.parse(e.data)));
}

$('rows').addEventListener('mouseover', (e) => {
  const row = e.target.closest('[data-key]');
  if (row) void showKey(row.dataset.key, false);
});
$('k-form').addEventListener('submit', (e) => { e.preventDefault(); if ($('k-key').value) void showKey($('k-key').value, true); });
connect();
`;

export const pageScript = `(function () {\n${animationScript}\n${controlsScript}\n${mainScript}\n})();\n`;
