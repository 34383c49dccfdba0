import { measureDisplayWidth } from '../terminal/display-width.js';
import { wrapText, wrapWithIndent } from '../terminal/wrap-text.js';
// The command table that usage messages and `help` are both built from.
import { levelNames } from '../core/levels.js';

export type CommandName =
  | 'insert'
  | 'update'
  | 'delete'
  | 'get'
  | 'use'
  | 'status'
  | 'show-all'
  | 'search'
  | 'explain'
  | 'trace'
  | 'help'
  | 'save'
  | 'quit'
  | 'exit'
  | 'kill'
  | 'restart'
  | 'pause'
  | 'resume'
  | 'partition'
  | 'heal'
  | 'delay'
  | 'loss'
  | 'skew'
  | 'repair'
  | 'sleep'
  | 'wait';

interface HelpRow {
  usage: string;
  summary: string;
  example: string;
}

export interface CommandSpec extends HelpRow {
  name: CommandName;
}

interface HelpGroup {
  title: string;
  rows: readonly HelpRow[];
}

const dataCommands: readonly CommandSpec[] = [
  {
    name: 'insert',
    usage: 'insert KEY VALUE [LEVEL]',
    summary: 'write VALUE under KEY (an upsert)',
    example: 'insert 5 1 one',
  },
  {
    name: 'update',
    usage: 'update KEY VALUE [LEVEL]',
    summary: 'write VALUE under KEY (same as insert)',
    example: 'update 5 3 all',
  },
  {
    name: 'delete',
    usage: 'delete KEY [LEVEL]',
    summary: 'delete KEY (writes a tombstone)',
    example: 'delete 5',
  },
  {
    name: 'get',
    usage: 'get KEY [LEVEL]',
    summary: 'read KEY; shows fresh and stale replicas',
    example: 'get 5 one',
  },
];

const inspectionCommands: readonly CommandSpec[] = [
  { name: 'use', usage: 'use N', summary: 'send later commands to node N', example: 'use 2' },
  {
    name: 'status',
    usage: 'status [N]',
    summary: 'every node and its state, a line each (N: one node in full)',
    example: 'status 2',
  },
  {
    name: 'show-all',
    usage: 'show-all',
    summary: "every node's keys and versions (@N: one node)",
    example: '@3 show-all',
  },
  {
    name: 'search',
    usage: 'search KEY',
    summary: 'show which nodes hold a replica of KEY',
    example: 'search 5',
  },
  {
    name: 'explain',
    usage: 'explain KEY [LEVEL]',
    summary: 'replicas, levels that can be met, latencies',
    example: 'explain 5',
  },
  {
    name: 'trace',
    usage: 'trace [KEY]',
    summary: 'draw the last operation (on KEY): its messages',
    example: 'trace 5',
  },
  { name: 'help', usage: 'help', summary: 'show this help', example: 'help' },
  {
    name: 'save',
    usage: 'save FILE.kv [force]',
    summary: 'write the session as a batch file (force: overwrite)',
    example: 'save demo.kv',
  },
  { name: 'quit', usage: 'quit | exit', summary: 'stop the cluster and leave', example: 'quit' },
];

const faultCommands: readonly CommandSpec[] = [
  { name: 'kill', usage: 'kill N', summary: 'crash node N (its process exits)', example: 'kill 2' },
  { name: 'restart', usage: 'restart N', summary: 'start node N again', example: 'restart 2' },
  {
    name: 'pause',
    usage: 'pause N',
    summary: 'freeze node N; it stays silent',
    example: 'pause 3',
  },
  { name: 'resume', usage: 'resume N', summary: 'unfreeze node N', example: 'resume 3' },
  {
    name: 'partition',
    usage: 'partition IDS | IDS ...',
    summary: 'cut the network between groups',
    example: 'partition 1,2 | 3,4',
  },
  { name: 'heal', usage: 'heal', summary: 'remove every partition', example: 'heal' },
  {
    name: 'delay',
    usage: 'delay N|FROM->TO DURATION',
    summary: 'set the mean delay to node N, or of one link',
    example: 'delay 1->2 50ms',
  },
  {
    name: 'loss',
    usage: 'loss FROM->TO RATE',
    summary: 'drop a share of messages on one link',
    example: 'loss 1->2 10%',
  },
  {
    name: 'skew',
    usage: 'skew N ±DURATION',
    summary: "shift node N's clock (skew N 0 restores it)",
    example: 'skew 4 -2s',
  },
];

const repairCommands: readonly CommandSpec[] = [
  {
    name: 'repair',
    usage: 'repair [N]',
    summary: 'anti-entropy of node N (or of all) with its peers',
    example: 'repair 2',
  },
];

const flowCommands: readonly CommandSpec[] = [
  { name: 'sleep', usage: 'sleep DURATION', summary: 'pause the script', example: 'sleep 200ms' },
  {
    name: 'wait',
    usage: 'wait [repairs]',
    summary: 'join background commands (or repairs only)',
    example: 'wait repairs',
  },
];

const syntaxRows: readonly HelpRow[] = [
  {
    usage: '@N COMMAND',
    summary: 'send one data command to node N',
    example: '@2 get 5 one',
  },
  {
    usage: 'COMMAND &',
    summary: 'run insert/update/delete/get in the background',
    example: 'insert 5 1 one &',
  },
  {
    usage: 'COMMAND & => ...',
    summary: '`&` goes before `=>`, never after it',
    example: 'get 5 & => 1',
  },
  {
    usage: '"TEXT"',
    summary: 'quote values with spaces; escape \\" and \\\\',
    example: 'insert 5 "a \\"b\\""',
  },
  { usage: '# TEXT', summary: 'a comment up to the end of the line', example: '# setup' },
];

const assertionRows: readonly HelpRow[] = [
  {
    usage: 'VALUE',
    summary: 'get returned VALUE; quote "ok" to mean the word',
    example: 'get 5 => 3',
  },
  { usage: 'missing', summary: 'get found no value', example: 'get 5 => missing' },
  { usage: 'ok', summary: 'the command succeeded', example: 'insert 5 1 => ok' },
  {
    usage: 'error [CODE]',
    summary: 'the command failed (with CODE)',
    example: 'get 5 all => error UNAVAILABLE',
  },
  {
    usage: 'stale N',
    summary: 'replica N was stale in this read',
    example: 'get 5 all => 3, stale 2',
  },
  {
    usage: 'repaired N',
    summary: 'replica N was later repaired',
    example: 'get 5 all => 3, repaired 2',
  },
];

/** The width `help` is laid out for: the narrowest terminal a student has. */
const helpWidthDefault = 80;
/** A usage longer than this goes on a line of its own above its summary. */
const helpUsageWidthMax = 28;

const helpGroups: readonly HelpGroup[] = [
  { title: 'Data', rows: dataCommands },
  { title: 'Navigation and inspection', rows: inspectionCommands },
  { title: 'Faults', rows: faultCommands },
  { title: 'Repair', rows: repairCommands },
  { title: 'Flow (for batch files)', rows: flowCommands },
  { title: 'Syntax', rows: syntaxRows },
  {
    title:
      'Assertions (after `=>`, comma-separated; value, missing, stale and repaired on get only)',
    rows: assertionRows,
  },
];

export const commandSpecs: readonly CommandSpec[] = [
  ...dataCommands,
  ...inspectionCommands,
  ...faultCommands,
  ...repairCommands,
  ...flowCommands,
];

export function findCommandSpec(name: CommandName): CommandSpec {
  const spec = commandSpecs.find(
    (candidate) => candidate.name === (name === 'exit' ? 'quit' : name),
  );
  if (spec === undefined) throw new Error(`No command spec for \`${name}\`.`);
  return spec;
}

/** The prompt's `help`: every command with a summary and an example, fitted to `width` columns. */
export function helpText(width = helpWidthDefault): string {
  const intro = [
    `One command per line. LEVEL is one of ${levelNames.join(', ')}; without it, the config's`,
    'defaultLevel applies. DURATION is like 50ms, 2s, 1m or 1h (a bare number is milliseconds).',
  ].join(' ');
  return [wrapWithIndent(intro, width, ''), ...helpGroups.map((g) => formatGroup(g, width))].join(
    '\n\n',
  );
}

// A group's rows on one line each when they all fit; else each example goes on a line of its
// own under its summary, and a long summary wraps in its column.
function formatGroup(group: HelpGroup, width: number): string {
  const usageWidth = Math.min(
    helpUsageWidthMax,
    Math.max(...group.rows.map((row) => row.usage.length)),
  );
  const summaryWidth = Math.max(...group.rows.map((row) => row.summary.length));
  const oneLine = group.rows.map(
    (row) =>
      `  ${row.usage.padEnd(usageWidth)}  ${row.summary.padEnd(summaryWidth)}  ${row.example}`,
  );
  const title = wrapWithIndent(`${group.title}:`, width, '  ');
  if (oneLine.every((line) => measureDisplayWidth(line) <= width)) {
    return [title, ...oneLine].join('\n');
  }
  const indent = ' '.repeat(usageWidth + 4);
  const columnWidth = Math.max(20, width - indent.length);
  const lines = group.rows.flatMap((row) => {
    const ownLine = row.usage.length > usageWidth;
    const head = ownLine ? indent : `  ${row.usage.padEnd(usageWidth)}  `;
    return [
      ...(ownLine ? [`  ${row.usage}`] : []),
      ...wrapText(row.summary, columnWidth).map((line, i) => `${i === 0 ? head : indent}${line}`),
      ...wrapText(`e.g. ${row.example}`, columnWidth).map((line) => `${indent}${line}`),
    ];
  });
  return [title, ...lines].join('\n');
}
