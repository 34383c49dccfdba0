import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CommandRecord } from '../records.js';
import { formatTs, formatValue } from './style.js';

/** The text shown for a command other than a data operation. */
export function describeCommandRecord(record: CommandRecord, style: ChalkInstance): string {
  if (!record.ok)
    return style.red(`✘ ${record.error?.code ?? 'ERROR'}: ${record.error?.message ?? ''}`);
  if (record.status !== undefined) return statusTable(record.status, style);
  if (record.contents !== undefined) return contentsTable(record.contents, style);
  if (record.search !== undefined) return searchTable(record.search, style);
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
      'peers connected',
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
      node.peersConnected === null
        ? '-'
        : node.peersConnected.map((id) => `n${id}`).join(' ') || 'none',
      node.pendingRepairs ?? '-',
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
