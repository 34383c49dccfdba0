import type { ChalkInstance } from 'chalk';
import { renderTable, type TableCell } from '../../terminal/fit-table.js';
import { wrapWithIndent } from '../../terminal/wrap-text.js';
import type { CommandRecord } from '../records.js';
import { describeExplanation } from './explain-text.js';
import { describeError } from './op-cells.js';
import { formatTs, formatValue } from '../../terminal/style.js';

/** The text shown for a command other than a data operation, fitted to `width` when given. */
export function describeCommandRecord(
  record: CommandRecord,
  style: ChalkInstance,
  width?: number,
): string {
  if (!record.ok) return wrapWithIndent(describeError(record, style), width, '  ');
  if (record.status !== undefined) {
    const [only] = record.status;
    const table =
      record.status.length === 1 && only !== undefined
        ? nodeStatusTables(only, style, width)
        : statusTable(record.status, style, width);
    const timeout = record.requestTimeout;
    if (timeout === undefined) return table;
    const source = timeout.source === 'derived' ? 'derived from the delays' : 'set in the config';
    return `${table}\n${style.gray(`request timeout: ${timeout.ms} ms (${source})`)}`;
  }
  if (record.contents !== undefined) return contentsTable(record.contents, style, width);
  if (record.search !== undefined) return searchTable(record.search, style, width);
  if (record.antiEntropy !== undefined) return antiEntropyTable(record.antiEntropy, style, width);
  if (record.explain !== undefined) return describeExplanation(record.explain, style);
  if (record.op === 'help') return record.message ?? '';
  return wrapWithIndent(style.gray(record.message ?? record.op), width, '  ');
}

type Status = NonNullable<CommandRecord['status']>;

// `status`: one line per node, its view of the others summed up; `status N` shows one in full.
function statusTable(status: Status, style: ChalkInstance, width: number | undefined): string {
  // Nodes on one host (a laptop) are told apart by their ports: the host is said once, below.
  const hosts = new Set(status.map((node) => splitAddress(node.address).host));
  const [host] = hosts;
  const oneHost = hosts.size === 1 && host !== undefined;
  const rows = status.map((node) => [
    `n${node.id}`,
    oneHost ? splitAddress(node.address).port : node.address,
    paintNodeState(node.state, style),
    node.keys ?? '-',
    node.tombstones ?? '-',
    node.peers === null ? '-' : summarizePeers(node.peers, style),
    node.hints === null ? '-' : node.hints.reduce((total, h) => total + h.hints, 0),
    node.pendingRepairs ?? '-',
  ]);
  const table = renderTable({
    head: [
      'node',
      oneHost ? 'port' : 'address',
      'state',
      'keys',
      'tombs',
      'peers',
      'hints',
      'repairs',
    ],
    rows,
    width,
    rowRules: false,
  });
  const key = style.gray(
    'tombs: tombstones; peers: how this node sees the others; hints: hints kept for others; repairs: read repairs pending; `status N`: one node in full, with its pid and each peer',
  );
  const where = oneHost ? [`host: ${host}`] : [];
  return [table, ...where, ...describeStores(status), wrapWithIndent(key, width, '  ')].join('\n');
}

function splitAddress(address: string): { host: string; port: string } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: address.slice(colon + 1) };
}

function nodeStatusTables(node: Status[number], style: ChalkInstance, width: number | undefined) {
  const hints =
    node.hints === null
      ? '-'
      : node.hints.map((h) => `${h.hints} for n${h.node}`).join(', ') || '0';
  const facts = renderTable({
    head: [`n${node.id}`, node.address],
    rows: [
      ['pid', node.pid ?? '-'],
      ['state', paintNodeState(node.state, style)],
      ['keys', node.keys ?? '-'],
      ['tombstones', node.tombstones ?? '-'],
      ['store', node.store ?? '-'],
      ['hints kept', hints],
      ['read repairs pending', node.pendingRepairs ?? '-'],
    ],
    width,
    rowRules: false,
  });
  if (node.peers === null) return facts;
  const peers = renderTable({
    head: ['sees', 'as', 'last heard'],
    rows: node.peers.map((peer) => [
      `n${peer.node}`,
      paintPeerState(peer.state, style),
      peer.lastHeardAgoMs === null ? 'never' : `${formatAgo(peer.lastHeardAgoMs)} ago`,
    ]),
    width,
    rowRules: false,
  });
  return `${facts}\n${peers}`;
}

function describeStores(status: Status): string[] {
  const stores = [...new Set(status.map((node) => node.store).filter((store) => store !== null))];
  return stores.length > 0 ? [`store: ${stores.join(', ')}`] : [];
}

function paintNodeState(state: Status[number]['state'], style: ChalkInstance): string {
  if (state === 'up') return style.green(state);
  return state === 'paused' ? style.yellow(state) : style.red(state);
}

function paintPeerState(state: string, style: ChalkInstance): string {
  if (state === 'up') return style.green(state);
  return state === 'suspect' ? style.yellow(state) : style.red(state);
}

// `3 up` when all are; else the count up and each one that is not: `2 up, n4 down`.
function summarizePeers(peers: NonNullable<Status[number]['peers']>, style: ChalkInstance): string {
  const up = peers.filter((peer) => peer.state === 'up').length;
  const others = peers
    .filter((peer) => peer.state !== 'up')
    .map((peer) => `n${peer.node} ${paintPeerState(peer.state, style)}`);
  return [style.green(`${up} up`), ...others].join(', ');
}

function formatAgo(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function antiEntropyTable(
  reports: NonNullable<CommandRecord['antiEntropy']>,
  style: ChalkInstance,
  width: number | undefined,
): string {
  const rows = reports.map((report) => {
    if (report.error !== undefined) {
      const error = style.red(`${report.error.code}: ${report.error.message}`);
      return [`n${report.node}`, `n${report.peer}`, { colSpan: 5, content: error }];
    }
    const differing =
      report.rangesDiffering > 0 ? style.yellow(String(report.rangesDiffering)) : style.green('0');
    return [
      `n${report.node}`,
      `n${report.peer}`,
      report.rangesCompared,
      differing,
      report.keysReceived,
      report.keysSent,
      `${report.durationMs} ms`,
    ];
  });
  return renderTable({
    head: [
      'node',
      'with',
      'ranges compared',
      'ranges differing',
      'keys received',
      'keys sent',
      'time',
    ],
    rows,
    width,
  });
}

function contentsTable(
  contents: NonNullable<CommandRecord['contents']>,
  style: ChalkInstance,
  width: number | undefined,
): string {
  const rows: TableCell[][] = [];
  for (const node of contents) {
    if (node.state !== 'up') {
      rows.push([`n${node.node}`, { colSpan: 3, content: style.red(node.state) }]);
      continue;
    }
    if (node.entries.length === 0)
      rows.push([`n${node.node}`, { colSpan: 3, content: style.gray('(empty)') }]);
    for (const entry of node.entries) {
      const value = entry.value === null ? style.gray('(tombstone)') : formatValue(entry.value);
      rows.push([`n${node.node}`, formatValue(entry.key), value, formatTs(entry.ts)]);
    }
  }
  return renderTable({ head: ['node', 'key', 'value', 'timestamp'], rows, width });
}

function searchTable(
  search: NonNullable<CommandRecord['search']>,
  style: ChalkInstance,
  width: number | undefined,
): string {
  const rows = search.replicas.map((replica) => {
    const holds =
      replica.state === 'holds'
        ? style.green('value')
        : replica.state === 'tombstone'
          ? style.gray('tombstone')
          : style.red(replica.state);
    return [
      `n${replica.node}`,
      holds,
      replica.value === undefined ? '-' : formatValue(replica.value),
      formatTs(replica.ts),
    ];
  });
  const title = `key ${formatValue(search.key)} lives on ${search.replicas.map((r) => `n${r.node}`).join(', ')}`;
  const table = renderTable({ head: ['replica', 'holds', 'value', 'timestamp'], rows, width });
  return `${wrapWithIndent(title, width, '  ')}\n${table}`;
}
