/*
 * The live page's controls (vanilla JS): each button composes a prompt line and sends it to the
 * command endpoint, exactly as if it were typed in the command box (or at the terminal).
 */
export const controlsScript = String.raw`
const groupNames = ['A', 'B', 'C', '–'];

async function sendLine(line) {
  $('cmd-status').textContent = '';
  try {
    const response = await fetch('/api/command', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ line }),
    });
    const answer = await response.json();
    if (!response.ok) $('cmd-status').textContent = answer.error.code + ': ' + answer.error.message;
    else if (answer.record && answer.record.message === 'started in the background')
      $('cmd-status').textContent = '[' + answer.record.seq + '] started in the background';
  } catch (error) {
    $('cmd-status').textContent = 'the orchestrator did not answer: ' + error.message;
  }
}

function nodeSelect(id, withAny) {
  const options = (withAny ? ['<option value="">any</option>'] : [])
    .concat(CLUSTER.nodes.map((n) => '<option value="' + n.id + '">n' + n.id + '</option>'));
  return '<select id="' + id + '">' + options.join('') + '</select>';
}

function buildControls() {
  const ids = CLUSTER.nodes.map((n) => n.id);
  const groups = ids.map((id, i) => '<label>n' + id + ' <select id="p-group-' + id + '">' +
    groupNames.map((g, k) => '<option' + (k === (i < ids.length / 2 ? 0 : 1) ? ' selected' : '') + '>' + g + '</option>').join('') +
    '</select></label>').join(' ');
  $('controls').innerHTML =
    '<div>' + nodeSelect('c-node', false) + ' ' + ['kill', 'restart', 'pause', 'resume', 'repair', 'status']
      .map((c) => '<button data-node-cmd="' + c + '" id="c-' + c + '">' + c + '</button>').join(' ') +
    ' <button id="c-repair-all">repair all</button></div>' +
    '<div>partition: ' + groups + ' <button id="c-partition">partition</button> <button id="c-heal">heal</button></div>' +
    '<div>delay from ' + nodeSelect('d-from', true) + ' to ' + nodeSelect('d-to', false) +
    ' <input id="d-ms" type="number" min="0" value="100"> ms <button id="c-delay">delay</button></div>' +
    '<div>loss ' + nodeSelect('l-from', false) + ' → ' + nodeSelect('l-to', false) +
    ' <input id="l-pct" type="number" min="0" max="100" value="20"> % <button id="c-loss">loss</button></div>' +
    '<div>skew ' + nodeSelect('s-node', false) + ' <input id="s-ms" type="number" value="2000"> ms <button id="c-skew">skew</button></div>';
  $('l-to').value = String(ids[1] ?? ids[0]);
  for (const button of document.querySelectorAll('[data-node-cmd]'))
    button.addEventListener('click', () => sendLine(button.dataset.nodeCmd + ' ' + $('c-node').value));
  $('c-repair-all').addEventListener('click', () => sendLine('repair'));
  $('c-partition').addEventListener('click', () => {
    const chosen = groupNames.slice(0, 3).map((g) => ids.filter((id) => $('p-group-' + id).value === g)).filter((m) => m.length > 0);
    sendLine('partition ' + chosen.map((members) => members.join(',')).join(' | '));
  });
  $('c-heal').addEventListener('click', () => sendLine('heal'));
  $('c-delay').addEventListener('click', () => {
    const from = $('d-from').value;
    sendLine('delay ' + (from === '' ? '' : from + '->') + $('d-to').value + ' ' + $('d-ms').value + 'ms');
  });
  $('c-loss').addEventListener('click', () => sendLine('loss ' + $('l-from').value + '->' + $('l-to').value + ' ' + $('l-pct').value + '%'));
  $('c-skew')?.addEventListener('click', () => sendLine('skew ' + $('s-node').value + ' ' + $('s-ms').value + 'ms'));
  $('cmd-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const line = $('cmd').value;
    $('cmd').value = '';
    void sendLine(line);
  });
}
`;
