/*
 * The report page's own script (vanilla JS, run in the browser after the inlined diagram code):
 * filters, the virtualized diagram, the operation list, quorum accounting, key versions,
 * findings and SVG export. Kept as a string so tsc ships it; it reads `DATA` and the diagram
 * functions (createLayout, renderLamportSvg, ...) from the enclosing scope.
 */
export const reportScript = String.raw`
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
const ms = (us) => (us / 1000).toFixed(3);
const state = { mode: 'real', pxPerMs: 0, selectedOp: -1, totalKey: '', total: 0 };
const opsById = new Map(DATA.ops.map((op) => [op[0], op]));
const overscanPx = 400;
const opRowPx = 22;

function initControls() {
  const keySelect = $('f-key');
  DATA.keys.map((k, i) => [k, i]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, 5000)
    .forEach(([k, i]) => keySelect.add(new Option(k, String(i))));
  DATA.nodes.forEach((n) => $('f-node').add(new Option('n' + n, String(n))));
  DATA.levels.forEach((l, i) => $('f-level').add(new Option(l, String(i))));
  $('f-to').value = ms(DATA.endT);
  state.pxPerMs = choosePxPerMs(DATA);
  for (const id of ['f-key', 'f-node', 'f-op', 'f-level', 'f-bg', 'f-from', 'f-to'])
    $(id).addEventListener('change', () => { render(); renderOps(); renderKey(); });
  $('f-op').addEventListener('input', () => { render(); renderOps(); });
  $('mode').addEventListener('click', () => {
    state.mode = state.mode === 'real' ? 'causal' : 'real';
    $('mode').textContent = state.mode === 'real' ? 'Show causal order' : 'Show real time';
    render();
  });
  $('zoom-in').addEventListener('click', () => zoom(2));
  $('zoom-out').addEventListener('click', () => zoom(0.5));
  $('export').addEventListener('click', exportSvg);
  $('scroller').addEventListener('scroll', () => requestAnimationFrame(render));
  $('op-list').addEventListener('scroll', () => requestAnimationFrame(renderOps));
  window.addEventListener('resize', () => { render(); renderOps(); });
  $('diagram').addEventListener('click', (event) => {
    const target = event.target.closest('[data-op]');
    const op = target ? Number(target.getAttribute('data-op')) : -1;
    if (op >= 0) selectOp(op, false);
  });
}

function readFilter() {
  const num = (id) => ($(id).value === '' ? -1 : Number($(id).value));
  const fromMs = Number($('f-from').value || 0);
  const toMs = Number($('f-to').value || ms(DATA.endT));
  return {
    key: num('f-key'), node: num('f-node'), op: num('f-op'), level: num('f-level'),
    hideBackground: $('f-bg').checked,
    fromT: Math.max(0, Math.round(fromMs * 1000)), toT: Math.max(0, Math.round(toMs * 1000)),
  };
}

function currentLayout(filter) {
  return createLayout(DATA, state.mode, state.pxPerMs, Math.max(360, $('scroller').clientWidth - 20), filter);
}

function render() {
  const filter = readFilter();
  const layout = currentLayout(filter);
  const scroller = $('scroller');
  $('spacer').style.height = Math.ceil(layout.height) + 'px';
  const fromY = Math.max(0, scroller.scrollTop - overscanPx);
  const toY = Math.min(layout.height, scroller.scrollTop + scroller.clientHeight + overscanPx);
  const svg = renderLamportSvg(DATA, layout, filter, { fromY, toY, selectedOp: state.selectedOp, standalone: false });
  const diagram = $('diagram');
  diagram.style.top = fromY + 'px';
  diagram.innerHTML = svg;
  $('lanes').innerHTML = DATA.nodes.map((n) => '<span style="left:' + (layout.laneX(n) - 20) + 'px">n' + n + '</span>').join('');
  const drawn = diagram.querySelectorAll('.arrow').length;
  const totalKey = JSON.stringify(filter) + state.mode;
  if (state.totalKey !== totalKey) {
    state.totalKey = totalKey;
    state.total = selectMessages(DATA, layout, filter, 0, layout.height).length;
  }
  const total = state.total;
  $('drawn').textContent = drawn + ' arrows drawn of ' + total + ' that pass the filter (' + (DATA.m.length / messageStride) + ' in the trace)';
  diagram.setAttribute('data-drawn', String(drawn));
}

function zoom(factor) {
  const scroller = $('scroller');
  const layout = currentLayout(readFilter());
  const centreT = layout.tOf(scroller.scrollTop + scroller.clientHeight / 2);
  state.pxPerMs = Math.min(5000, Math.max(0.001, state.pxPerMs * factor));
  const next = currentLayout(readFilter());
  $('spacer').style.height = Math.ceil(next.height) + 'px';
  scroller.scrollTop = next.yOf(centreT) - scroller.clientHeight / 2;
  render();
}

function filteredOps() {
  const f = readFilter();
  return DATA.ops.filter((op) =>
    (f.key < 0 || op[4] === f.key) && (f.op < 0 || op[0] === f.op) && (f.level < 0 || op[5] === f.level) &&
    (f.node < 0 || op[2] === f.node || op[14].some((a) => a[0] === f.node)) &&
    op[6] <= f.toT && (op[7] < 0 || op[7] >= f.fromT));
}

function renderOps() {
  const list = $('op-list');
  const ops = filteredOps();
  $('op-count').textContent = ops.length + ' operations';
  const first = Math.max(0, Math.floor(list.scrollTop / opRowPx) - 5);
  const last = Math.min(ops.length, first + Math.ceil(list.clientHeight / opRowPx) + 10);
  let html = '<div style="height:' + ops.length * opRowPx + 'px;position:relative">';
  for (let i = first; i < last; i++) {
    const op = ops[i];
    const result = op[9] < 0 ? 'pending' : op[9] === 1 ? 'ok ' + op[10] + '/' + op[11] : 'failed';
    html += '<div class="op-row' + (op[0] === state.selectedOp ? ' selected' : '') + '" data-op="' + op[0] + '" style="top:' + i * opRowPx + 'px">' +
      'op ' + op[0] + ' ' + esc(op[3]) + ' ' + esc(DATA.keys[op[4]]) + ' ' + DATA.levels[op[5]] + ' @n' + op[2] + ' · ' + ms(op[6]) + ' ms · ' + result + '</div>';
  }
  list.innerHTML = html + '</div>';
}

function selectOp(id, scroll) {
  state.selectedOp = id;
  const op = opsById.get(id);
  if (op === undefined) return;
  if (scroll) {
    const layout = currentLayout(readFilter());
    $('scroller').scrollTop = Math.max(0, layout.yOf(op[6]) - 60);
  }
  render();
  renderOps();
  renderQuorum(op);
  if ($('f-key').value !== String(op[4])) renderKey(op[4]);
}

function renderQuorum(op) {
  const [id, client, node, kind, key, level, invokeT, completeT, metT, ok, acks, required, value, error, answers, repairs] = op;
  let html = '<h3>op ' + id + ': ' + esc(kind) + ' ' + esc(DATA.keys[key]) + (value === null || kind === 'get' ? '' : ' = ' + esc(value)) + ' at ' + DATA.levels[level] + '</h3>';
  html += '<p>client ' + esc(client) + ', coordinator n' + node + ', invoked ' + ms(invokeT) + ' ms, ' +
    (metT >= 0 ? 'level met at ' + ms(metT) + ' ms (' + required + ' needed), ' : 'level never met, ') +
    (completeT >= 0 ? (ok === 1 ? 'completed ok' : 'failed') + ' at ' + ms(completeT) + ' ms with ' + acks + ' of ' + required : 'never completed') +
    (error ? ': ' + esc(error) : '') + (kind === 'get' && ok === 1 ? '; read ' + (value === null ? 'not found' : esc(value)) : '') + '</p>';
  html += '<table class="quorum"><tr><th>replica</th><th>request delay</th><th>answer</th><th>at</th></tr>';
  for (const [replica, status, at, delayUs, why] of answers)
    html += '<tr class="st-' + DATA.answerStatuses[status].replace(' ', '-') + '"><td>n' + replica + '</td><td>' + (delayUs >= 0 ? ms(delayUs) + ' ms' : 'local') + '</td><td>' +
      DATA.answerStatuses[status] + (why ? ' (' + why + ')' : '') + '</td><td>' + (at >= 0 ? ms(at) + ' ms' : '') + '</td></tr>';
  html += '</table>';
  html += repairs.length === 0 ? '<p>No read repair.</p>' : '<p>Read repairs: ' + repairs.map(([t, n, applied, to]) => 'n' + n + ' ' + (applied ? 'applied' : 'not applied') + (to ? ' ' + esc(to) : '') + ' at ' + ms(t) + ' ms').join('; ') + '</p>';
  html += '<button id="only-op">Show only this operation\u2019s messages</button>';
  $('quorum').innerHTML = html;
  $('only-op').addEventListener('click', () => { $('f-op').value = String(id); render(); renderOps(); });
}

function renderKey(forced) {
  const chosen = forced !== undefined ? forced : Number($('f-key').value === '' ? -1 : $('f-key').value);
  const entry = DATA.versions.find((v) => v[0] === chosen) || (chosen < 0 ? DATA.versions[0] : undefined);
  const box = $('versions');
  if (entry === undefined) { box.innerHTML = '<p>No versions traced for this key.</p>'; return; }
  const [key, replicas, changes, windows] = entry;
  const endT = Math.max(DATA.endT, 1);
  const width = Math.max(300, $('versions').clientWidth - 10), row = 26, left = 34;
  const x = (t) => left + (t / endT) * (width - left - 10);
  const colours = new Map();
  const palette = ['#2680c2', '#27ab83', '#d64545', '#8e44ad', '#e8a33d', '#52606d'];
  let svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + (replicas.length * row + 30) + '">';
  for (const [from, to] of windows)
    svg += '<rect x="' + x(from) + '" y="0" width="' + Math.max(2, x(to < 0 ? endT : to) - x(from)) + '" height="' + replicas.length * row + '" fill="#cf1124" opacity=".12"/>';
  replicas.forEach((n, i) => {
    svg += '<text x="4" y="' + (i * row + 17) + '" font-size="12">n' + n + '</text>';
    const mine = changes.filter((c) => c[0] === n);
    mine.forEach((c, j) => {
      if (!colours.has(c[2])) colours.set(c[2], palette[colours.size % palette.length]);
      const next = mine[j + 1] ? mine[j + 1][1] : endT;
      svg += '<rect x="' + x(c[1]) + '" y="' + (i * row + 5) + '" width="' + Math.max(2, x(next) - x(c[1])) + '" height="16" fill="' + colours.get(c[2]) + '"><title>n' + n + ' holds ' + esc(c[2]) + ' from ' + ms(c[1]) + ' ms (' + DATA.versionSources[c[3]] + ')</title></rect>';
    });
  });
  svg += '</svg>';
  let html = '<h3>key ' + esc(DATA.keys[key]) + '</h3>' + svg + '<ul>';
  for (const [from, to, closer] of windows)
    html += '<li>replicas disagreed ' + ms(from) + ' – ' + (to < 0 ? 'end (still open)' : ms(to) + ' ms, closed by ' + DATA.versionSources[closer]) + '</li>';
  box.innerHTML = html + (windows.length === 0 ? '<li>replicas always agreed</li>' : '') + '</ul>';
}

function renderFindings() {
  const box = $('findings');
  if (DATA.findings.length === 0) { box.innerHTML = '<p>No findings (or no history given: <code>--history FILE</code>).</p>'; return; }
  box.innerHTML = DATA.findings.map(([kind, key, ops, message, broken], i) =>
    '<div class="finding' + (broken ? ' broken' : '') + '" data-finding="' + i + '"><b>' + esc(kind) + '</b> ' + esc(key) + ': ' + esc(message) +
    ' ' + ops.map((id) => '<a href="#" data-op="' + id + '">op ' + id + '</a>').join(' ') + '</div>').join('');
  box.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-op]');
    if (!link) return;
    event.preventDefault();
    const id = Number(link.getAttribute('data-op'));
    $('f-op').value = String(id);
    selectOp(id, true);
  });
}

function exportSvg() {
  const filter = readFilter();
  const layout = currentLayout(filter);
  const svg = renderLamportSvg(DATA, layout, filter, { fromY: 0, toY: layout.height, selectedOp: state.selectedOp, standalone: true });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  link.download = 'quartet-diagram.svg';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

initControls();
$('op-list').addEventListener('click', (event) => {
  const row = event.target.closest('[data-op]');
  if (row) selectOp(Number(row.getAttribute('data-op')), true);
});
render();
renderOps();
renderKey();
renderFindings();
$('summary').textContent = DATA.source + ' run' + (DATA.seed === null ? '' : ' (seed ' + DATA.seed + ')') + ': ' + DATA.nodes.length + ' nodes, RF ' + DATA.replicationFactor + ', ' +
  DATA.ops.length + ' operations, ' + DATA.m.length / messageStride + ' messages, ' + ms(DATA.endT) + ' ms' +
  (DATA.eventsDropped > 0 ? ', ' + DATA.eventsDropped + ' trace events dropped by the producer' : '');
document.body.setAttribute('data-ready', '1');
`;
