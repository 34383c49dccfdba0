import type { Assertion, Command, ParsedLine } from '../commands.js';

/** A command as written, without `@N` and assertions: `get 5`, `delay 1->2 50ms`. */
export function describeCommand(parsed: ParsedLine): string {
  const text = describeBare(parsed.command);
  return parsed.background ? `${text} &` : text;
}

function describeBare(command: Command): string {
  switch (command.kind) {
    case 'insert':
    case 'update':
      return `${command.kind} ${quote(command.key)} ${quote(command.value)}`;
    case 'delete':
    case 'get':
    case 'search':
      return `${command.kind} ${quote(command.key)}`;
    case 'explain':
      return `explain ${quote(command.key)}${command.level === undefined ? '' : ` ${command.level}`}`;
    case 'use':
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume':
      return `${command.kind} ${command.node}`;
    case 'partition':
      return `partition ${command.groups.map((group) => group.join(',')).join(' | ')}`;
    case 'delay':
      return command.from === undefined
        ? `delay ${command.to} ${command.delayMs}ms`
        : `delay ${command.from}->${command.to} ${command.delayMs}ms`;
    case 'loss':
      return `loss ${command.from}->${command.to} ${round(command.lossRate * 100)}%`;
    case 'skew':
      return `skew ${command.node} ${command.skewMs > 0 ? '+' : ''}${command.skewMs}ms`;
    case 'repair':
    case 'status':
      return command.node === undefined ? command.kind : `${command.kind} ${command.node}`;
    case 'sleep':
      return `sleep ${command.ms}ms`;
    case 'wait':
      return command.what === 'repairs' ? 'wait repairs' : 'wait';
    default:
      return command.kind;
  }
}

/** An assertion as written after `=>`. */
export function describeAssertion(assertion: Assertion): string {
  switch (assertion.kind) {
    case 'value':
      return quote(assertion.value);
    case 'error':
      return assertion.code === undefined ? 'error' : `error ${assertion.code}`;
    case 'stale':
    case 'repaired':
      return `${assertion.kind} ${assertion.node}`;
    default:
      return assertion.kind;
  }
}

// Quoted when the grammar would need quotes to read it back as one word.
function quote(text: string): string {
  return /^[^\s"',&=#@]+$/.test(text) && !text.includes('=>') ? text : JSON.stringify(text);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
