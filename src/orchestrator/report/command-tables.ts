import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CommandRecord } from '../records.js';
import { describeExplanation } from './explain-text.js';
import { describeError } from './op-cells.js';
import { formatTs, formatValue } from './style.js';

/** The text shown for a command other than a data operation. */
export function describeCommandRecord(record: CommandRecord, style: ChalkInstance): string {
  if (!record.ok) return describeError(record, style);
  if (record.status !== undefined) return statusTable(record.status, style);
  if (record.contents !== undefined) return contentsTable(record.contents, style);
  if (record.search !== undefined) return searchTable(record.search, style);
  if (record.antiEntropy !== undefined) return antiEntropyTable(record.antiEntropy, style);
  if (record.explain !== undefined) return describeExplanation(record.explain, style);
  if (record.op === 'help') return record.message ?? '';
  return style.gray(record.message ?? record.op);
}

function statusTable(status: NonNullable<CommandRecord['status']>, style: ChalkInstance): string {
  const table = new Table({
    head: [
      'node',
      'address',
      'pid',
      'state',
      'keys',
      'tombstones',
      'sees the others',
      'hints kept',
      'repairs pending',
    ],
    style: { head: [], border: [] },
  });
  for (const node of status) {
    const state =
      node.state === 'up'
        ? style.green('up')
        : node.state === 'paused'
          ? style.yellow('paused')
          : style.red(node.state);
    table.push([
      `n${node.id}`,
      node.address,
      node.pid ?? '-',
      state,
      node.keys ?? '-',
      node.tombstones ?? '-',
      node.peers === null ? '-' : node.peers.map((peer) => describePeer(peer, style)).join('\n'),
      node.hints === null
        ? '-'
        : node.hints.map((h) => `${h.hints} for n${h.node}`).join('\n') || '0',
      node.pendingRepairs ?? '-',
    ]);
  }
  const stores = [...new Set(status.map((node) => node.store).filter((store) => store !== null))];
  return `${table.toString()}${stores.length > 0 ? `\nstore: ${stores.join(', ')}` : ''}`;
}

function describePeer(
  peer: { node: number; state: string; lastHeardAgoMs: number | null },
  style: ChalkInstance,
): string {
  const paint =
    peer.state === 'up' ? style.green : peer.state === 'suspect' ? style.yellow : style.red;
  const heard =
    peer.lastHeardAgoMs === null ? 'never heard' : `heard ${formatAgo(peer.lastHeardAgoMs)} ago`;
  return `n${peer.node} ${paint(peer.state)} (${heard})`;
}

function formatAgo(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function antiEntropyTable(
  reports: NonNullable<CommandRecord['antiEntropy']>,
  style: ChalkInstance,
): string {
  const table = new Table({
    head: [
      'node',
      'with',
      'ranges compared',
      'ranges differing',
      'keys received',
      'keys sent',
      'time',
    ],
    style: { head: [], border: [] },
  });
  for (const report of reports) {
    if (report.error !== undefined) {
      table.push([
        `n${report.node}`,
        `n${report.peer}`,
        { colSpan: 5, content: style.red(`${report.error.code}: ${report.error.message}`) },
      ]);
      continue;
    }
    const differing =
      report.rangesDiffering > 0 ? style.yellow(String(report.rangesDiffering)) : style.green('0');
    table.push([
      `n${report.node}`,
      `n${report.peer}`,
      report.rangesCompared,
      differing,
      report.keysReceived,
      report.keysSent,
      `${report.durationMs} ms`,
    ]);
  }
  return table.toString();
}

function contentsTable(
  contents: NonNullable<CommandRecord['contents']>,
  style: ChalkInstance,
): string {
  const table = new Table({
    head: ['node', 'key', 'value', 'timestamp'],
    style: { head: [], border: [] },
  });
  for (const node of contents) {
    if (node.state !== 'up') {
      table.push([`n${node.node}`, { colSpan: 3, content: style.red(node.state) }]);
      continue;
    }
    if (node.entries.length === 0)
      table.push([`n${node.node}`, { colSpan: 3, content: style.gray('(empty)') }]);
    for (const entry of node.entries) {
      const value = entry.value === null ? style.gray('(tombstone)') : formatValue(entry.value);
      table.push([`n${node.node}`, formatValue(entry.key), value, formatTs(entry.ts)]);
    }
  }
  return table.toString();
}

function searchTable(search: NonNullable<CommandRecord['search']>, style: ChalkInstance): string {
  const table = new Table({
    head: ['replica', 'holds', 'value', 'timestamp'],
    style: { head: [], border: [] },
  });
  for (const replica of search.replicas) {
    const holds =
      replica.state === 'holds'
        ? style.green('value')
        : replica.state === 'tombstone'
          ? style.gray('tombstone')
          : style.red(replica.state);
    table.push([
      `n${replica.node}`,
      holds,
      replica.value === undefined ? '-' : formatValue(replica.value),
      formatTs(replica.ts),
    ]);
  }
  return `key ${formatValue(search.key)} lives on ${search.replicas.map((r) => `n${r.node}`).join(', ')}\n${table.toString()}`;
}
