import type { ChalkInstance } from 'chalk';
import { renderTable, type TableCell } from '../../terminal/fit-table.js';
import { wrapWithIndent } from '../../terminal/wrap-text.js';
import { meanFigures } from './peer-ratios.js';
import type { EtcdRound, PeerResult, RedisRound, SideFigures } from './peer-result.js';

const head = ['round', 'side', 'ops/s', 'p50 ms', 'p99 ms', 'CPU µs/op'];
const aligns = ['left', 'left', 'right', 'right', 'right', 'right'] as const;

/** Each round's figures, the means, then the ratios against their targets. */
export function formatPeersReport(
  result: PeerResult,
  style: ChalkInstance,
  width?: number,
): string {
  const rows: TableCell[][] = [];
  if (result.vs === 'redis') addRedisRows(rows, result.rounds as RedisRound[]);
  else addEtcdRows(rows, result.rounds as EtcdRound[]);
  const figures = renderTable({ head, rows, width, aligns, repeatColumns: 2 });
  const ratios = renderTable({
    head: ['ratio', 'value', 'target', 'met'],
    rows: result.ratios.map((r) => [
      r.name,
      r.value.toFixed(3),
      r.target,
      r.target === '-' ? '-' : r.met ? style.green('yes') : style.red('no'),
    ]),
    width,
    aligns: ['left', 'right', 'left', 'left'],
  });
  const intro = [
    `quartet vs ${result.peerVersion}, ${result.rounds.length} rounds, alternating; ${result.settings.keys} keys over ${result.settings.records.toLocaleString('en-US')} records of ${result.settings.valueBytes} B, ${result.settings.durationMs / 1000} s per side.`,
    `quartet: ${result.method.quartet}`,
    `${result.vs}: ${result.method.peer}`,
    `Load average at start ${result.loadAverage.start.join(' ')}, at end ${result.loadAverage.end.join(' ')}.`,
  ].join('\n');
  return `${wrapWithIndent(intro, width, '  ')}\n${figures}\n${ratios}\n`;
}

function addRedisRows(rows: TableCell[][], rounds: RedisRound[]): void {
  for (const round of rounds) {
    rows.push(row(String(round.round), 'quartet A one 64', round.quartet));
    rows.push(row('', 'redis SET 64', round.redis.set));
    rows.push(row('', 'redis GET 64', round.redis.get));
  }
  rows.push(row('mean', 'quartet A one 64', meanFigures(rounds.map((r) => r.quartet))));
  rows.push(row('', 'redis SET 64', meanFigures(rounds.map((r) => r.redis.set))));
  rows.push(row('', 'redis GET 64', meanFigures(rounds.map((r) => r.redis.get))));
}

function addEtcdRows(rows: TableCell[][], rounds: EtcdRound[]): void {
  const sides = (pick: (round: EtcdRound) => SideFigures[]) => rounds.map(pick);
  for (const round of rounds) {
    rows.push(row(String(round.round), 'quartet W all 64', round.quartet.inflight64));
    rows.push(row('', 'etcd put 64', round.etcd.inflight64));
    rows.push(row('', 'quartet W all 1', round.quartet.inflight1));
    rows.push(row('', 'etcd put 1', round.etcd.inflight1));
  }
  const means = [
    ['quartet W all 64', sides((r) => [r.quartet.inflight64])],
    ['etcd put 64', sides((r) => [r.etcd.inflight64])],
    ['quartet W all 1', sides((r) => [r.quartet.inflight1])],
    ['etcd put 1', sides((r) => [r.etcd.inflight1])],
  ] as const;
  means.forEach(([name, list], index) =>
    rows.push(row(index === 0 ? 'mean' : '', name, meanFigures(list.flat()))),
  );
}

function row(round: string, side: string, figures: SideFigures): TableCell[] {
  return [
    round,
    side,
    Math.round(figures.opsPerSec).toLocaleString('en-US'),
    figures.p50Ms.toFixed(3),
    figures.p99Ms.toFixed(3),
    figures.cpuUsPerOp.toFixed(1),
  ];
}
