// One parser per command word: checks the argument count and turns the arguments into a `Command`.
import type { LevelName } from '../core/levels.js';
import type { Command } from './commands.js';
import { failAt, type Token } from './tokenize.js';
import { findCommandSpec, type CommandName } from './grammar-help.js';
import {
  parseDuration,
  parseLevel,
  parseLink,
  parseLossRate,
  parseNodeId,
  parsePartition,
  suggestClosest,
} from './grammar-values.js';

interface CommandContext {
  name: CommandName;
  args: Token[];
  /** Where a missing argument would go: just after the last token of the command. */
  missingCol: number;
}

type CommandParser = (context: CommandContext) => Command;

const parsers: Record<CommandName, CommandParser> = {
  insert: parseWrite,
  update: parseWrite,
  delete: (context) => ({ kind: 'delete', ...parseKeyAndLevel(context) }),
  get: (context) => ({ kind: 'get', ...parseKeyAndLevel(context) }),
  use: (context) => ({ kind: 'use', node: parseNodeArgument(context) }),
  status: (context) => {
    const [node] = takeArgs(context, 0, 1);
    return node === undefined
      ? { kind: 'status' }
      : { kind: 'status', node: parseNodeId(node, 'status 2') };
  },
  'show-all': (context) => parseBare(context, { kind: 'show-all' }),
  search: (context) => ({ kind: 'search', key: parseKey(takeArgs(context, 1, 1)[0]) }),
  explain: (context) => ({ kind: 'explain', ...parseKeyAndLevel(context) }),
  trace: (context) => {
    const [key] = takeArgs(context, 0, 1);
    return key === undefined ? { kind: 'trace' } : { kind: 'trace', key: parseKey(key) };
  },
  help: (context) => parseBare(context, { kind: 'help' }),
  save: parseSave,
  quit: (context) => parseBare(context, { kind: 'quit' }),
  exit: (context) => parseBare(context, { kind: 'quit' }),
  kill: (context) => ({ kind: 'kill', node: parseNodeArgument(context) }),
  restart: (context) => ({ kind: 'restart', node: parseNodeArgument(context) }),
  pause: (context) => ({ kind: 'pause', node: parseNodeArgument(context) }),
  resume: (context) => ({ kind: 'resume', node: parseNodeArgument(context) }),
  partition: (context) => ({
    kind: 'partition',
    groups: parsePartition(context.args, context.missingCol),
  }),
  heal: (context) => parseBare(context, { kind: 'heal' }),
  delay: parseDelay,
  loss: parseLoss,
  skew: parseSkew,
  repair: (context) => {
    const [node] = takeArgs(context, 0, 1);
    return node === undefined
      ? { kind: 'repair' }
      : { kind: 'repair', node: parseNodeId(node, 'repair 2') };
  },
  sleep: (context) => ({
    kind: 'sleep',
    ms: parseDuration(takeArgs(context, 1, 1)[0], 'the `sleep` duration'),
  }),
  wait: parseWait,
};

const commandNames = Object.keys(parsers) as CommandName[];

export function parseCommand(nameToken: Token, args: Token[]): Command {
  if (nameToken.kind === 'string') {
    failAt(
      nameToken.col,
      'A command name is not quoted; write it bare, e.g. `get 5`. Type `help` for the list.',
    );
  }
  const name = nameToken.text.toLowerCase();
  if (!isCommandName(name)) return failUnknown(nameToken);
  const last = args.at(-1) ?? nameToken;
  return parsers[name]({ name, args, missingCol: last.end });
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(parsers, name);
}

function failUnknown(token: Token): never {
  const suggestion = suggestClosest(token.text, commandNames);
  const hint =
    suggestion === undefined
      ? 'type `help` for the list.'
      : `did you mean \`${suggestion}\`? Type \`help\` for the list.`;
  return failAt(token.col, `Unknown command \`${token.text}\`; ${hint}`);
}

// Checks the argument count against `min`..`max`; the result has at least `min` tokens.
function takeArgs(context: CommandContext, min: 2, max: number): [Token, Token, ...Token[]];
function takeArgs(context: CommandContext, min: 1, max: number): [Token, ...Token[]];
function takeArgs(context: CommandContext, min: number, max: number): Token[];
function takeArgs(context: CommandContext, min: number, max: number): Token[] {
  const { name, args } = context;
  const spec = findCommandSpec(name);
  if (args.length < min) {
    const wanted = spec.usage.split(' ').slice(1)[args.length] ?? 'an argument';
    failAt(
      context.missingCol,
      `Missing ${wanted} for \`${name}\`; write \`${spec.usage}\`, e.g. \`${spec.example}\`.`,
    );
  }
  const extra = args[max];
  if (extra !== undefined) failExtra(context, extra, max);
  return args;
}

function failExtra(context: CommandContext, extra: Token, max: number): never {
  const { name } = context;
  const spec = findCommandSpec(name);
  if (max === 0) {
    return failAt(extra.col, `\`${name}\` takes no arguments; remove \`${extra.text}\`.`);
  }
  const quoting = /KEY|VALUE/.test(spec.usage) ? ' and quote values that have spaces' : '';
  return failAt(
    extra.col,
    `Too many arguments to \`${name}\`: \`${extra.text}\` is extra; write \`${spec.usage}\`${quoting}.`,
  );
}

function parseBare(context: CommandContext, command: Command): Command {
  takeArgs(context, 0, 0);
  return command;
}

type WriteCommand = Extract<Command, { kind: 'insert' | 'update' }>;

function parseWrite(context: CommandContext): Command {
  const kind = context.name === 'update' ? 'update' : 'insert';
  const [key, value, level] = takeArgs(context, 2, 3);
  const command: WriteCommand = { kind, key: parseKey(key), value: value.text };
  return level === undefined ? command : { ...command, level: parseLevel(level) };
}

function parseKeyAndLevel(context: CommandContext): { key: string; level?: LevelName } {
  const [key, level] = takeArgs(context, 1, 2);
  const parsed = { key: parseKey(key) };
  return level === undefined ? parsed : { ...parsed, level: parseLevel(level) };
}

function parseKey(token: Token): string {
  if (token.text === '')
    failAt(token.col, 'A key cannot be empty; write a key like `5` or `"my key"`.');
  return token.text;
}

function parseNodeArgument(context: CommandContext): number {
  const spec = findCommandSpec(context.name);
  return parseNodeId(takeArgs(context, 1, 1)[0], spec.example);
}

function parseDelay(context: CommandContext): Command {
  const [target, amount] = takeArgs(context, 2, 2);
  if (!/[->]/.test(target.text)) {
    const to = parseNodeId(target, 'delay 2 50ms');
    return { kind: 'delay', to, delayMs: parseDuration(amount, 'the `delay` duration') };
  }
  const { from, to } = parseLink(target, 'delay 1->2 50ms');
  return { kind: 'delay', from, to, delayMs: parseDuration(amount, 'the `delay` duration') };
}

function parseLoss(context: CommandContext): Command {
  const [target, amount] = takeArgs(context, 2, 2);
  const { from, to } = parseLink(target, 'loss 1->2 10%');
  return { kind: 'loss', from, to, lossRate: parseLossRate(amount) };
}

const batchFileSuffix = '.kv';

// `save FILE.kv [force]`: the file `quartet run` replays; `force` allows overwriting it.
function parseSave(context: CommandContext): Command {
  const [file, flag] = takeArgs(context, 1, 2);
  if (!file.text.endsWith(batchFileSuffix) || file.text === batchFileSuffix) {
    failAt(
      file.col,
      `\`save\` writes a batch file; give it a name ending in \`${batchFileSuffix}\`, e.g. \`save demo.kv\`, not \`${file.text}\`.`,
    );
  }
  if (flag !== undefined && flag.text.toLowerCase() !== 'force') {
    failAt(
      flag.col,
      `Unknown \`save\` option \`${flag.text}\`; write \`save ${file.text} force\` to overwrite an existing file.`,
    );
  }
  return { kind: 'save', path: file.text, force: flag !== undefined };
}

function parseWait(context: CommandContext): Command {
  const [target] = takeArgs(context, 0, 1);
  const what = target?.text.toLowerCase() ?? 'all';
  if (what === 'all' || what === 'repairs') return { kind: 'wait', what };
  return failAt(
    target?.col ?? context.missingCol,
    `Unknown wait target \`${target?.text ?? ''}\`; write \`wait\` to join everything outstanding or \`wait repairs\` for repairs only.`,
  );
}

const skewPattern = /^([+-]?)((?:\d+(?:\.\d+)?|\.\d+)(?:ms|s|m|h)?)$/;

// `skew N ±DURATION`: a signed duration; a bare number is milliseconds.
function parseSkew(context: CommandContext): Command {
  const [target, amount] = takeArgs(context, 2, 2);
  const node = parseNodeId(target, 'skew 4 -2s');
  const match = skewPattern.exec(amount.text);
  if (match?.[2] === undefined) {
    return failAt(
      amount.col,
      `Invalid clock skew \`${amount.text}\`; write a signed duration like \`-2s\` or \`+300ms\`, or \`0\` to restore the clock.`,
    );
  }
  const magnitudeMs = parseDuration({ ...amount, text: match[2] }, 'the `skew` duration');
  return {
    kind: 'skew',
    node,
    skewMs: match[1] === '-' && magnitudeMs !== 0 ? -magnitudeMs : magnitudeMs,
  };
}
