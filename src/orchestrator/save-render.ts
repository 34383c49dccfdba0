// Renders a session log as a batch file that `quartet run` replays, with assertions of what
// each line returned where a replay can be expected to return it again.
import { measureRoundTripMsPracticalMax } from '../config/delay-bounds.js';
import type { ClusterConfig } from '../config/types.js';
import type { ParsedLine } from './commands.js';
import { isData } from './op-record.js';
import { StaleFacts } from './save-facts.js';
import type { LogEntry, LogSnapshot } from './session-log.js';
import { tokenizeLine } from './tokenize.js';

export interface RenderInput {
  log: LogSnapshot;
  config: Pick<
    ClusterConfig,
    'servers' | 'links' | 'replicationFactor' | 'defaultLevel' | 'delayDistribution'
  >;
  /** The config file, when known: the replay must use the same one. */
  configPath?: string;
  /** The name the file is saved under, for the replay command in the header. */
  file: string;
  savedAt: Date;
}

export interface RenderedFile {
  text: string;
  /** Lines of the session written as commands (not comments). */
  commands: number;
}

/**
 * A pause at the prompt this long after a data command becomes a `sleep` of the same length in
 * the file (at most the config's slowest round trip, or a `delay` set in the session, out and
 * back): the messages still on the wire then land before the next line, as they did at the
 * prompt, where they would race a fault set at once on replay.
 */
export const promptPauseMsMin = 50;
/** A pause this long also becomes `wait repairs`, so the read repairs sent land first. */
export const promptRepairPauseMsMin = 500;
/** Commands are padded to this width so the assertions line up, as in examples/. */
const commandColumnWidth = 33;

// Lines that change nothing: inspection is kept as a comment, the rest left out.
const inspectionKinds = new Set(['status', 'show-all', 'search', 'explain', 'trace']);
const omittedKinds = new Set(['save', 'help', 'quit']);
// Lines that let what is on the wire land: no pause is put in before or after them.
const flowKinds = new Set(['wait', 'sleep']);
const assertionKeywords = new Set(['ok', 'missing', 'error', 'stale', 'repaired']);

export function renderBatchFile(input: RenderInput): RenderedFile {
  const { log, config } = input;
  const lines = renderHeader(input);
  const firstConfigNode = config.servers[0]?.id;
  if (firstConfigNode !== undefined && log.firstNode !== firstConfigNode) {
    lines.push(
      `use ${log.firstNode}${' '.repeat(20)}# the session started at node ${log.firstNode}`,
    );
  }
  const facts = new StaleFacts(config);
  let commands = 0;
  let unsettled = false;
  let previousEndMs: number | undefined;
  let sleepMsMax = Math.max(promptPauseMsMin, measureRoundTripMsPracticalMax(config));
  for (const entry of log.entries) {
    if (entry.kind === 'unparsed') {
      lines.push(`# could not parse: ${entry.source}`, `#   BAD_COMMAND ${entry.message}`);
      continue;
    }
    const { command } = entry.parsed;
    if (omittedKinds.has(command.kind)) continue;
    const text = commandText(entry.parsed);
    if (inspectionKinds.has(command.kind)) {
      lines.push(`# ${text}`);
      continue;
    }
    const outcome = entry.outcome;
    // A line the grammar or the cluster refused changed nothing, and the batch checks may refuse it.
    if (outcome?.ok === false && outcome.errorCode === 'BAD_COMMAND') {
      lines.push(`# ${text}    # failed: BAD_COMMAND ${outcome.errorMessage ?? ''}`.trimEnd());
      continue;
    }
    const pausedMs = previousEndMs === undefined ? 0 : entry.startedMs - previousEndMs;
    if (unsettled && pausedMs >= promptPauseMsMin && !flowKinds.has(command.kind)) {
      const sleepMs = Math.ceil(Math.min(pausedMs, sleepMsMax) / 10) * 10;
      const sleep = `sleep ${sleepMs}ms`.padEnd(commandColumnWidth);
      lines.push(`${sleep}# the prompt paused ${formatSeconds(pausedMs)} here`);
      if (pausedMs >= promptRepairPauseMsMin) lines.push('wait repairs');
      facts.applyWait();
      unsettled = false;
    }
    if (command.kind === 'delay') sleepMsMax = Math.max(sleepMsMax, 2 * command.delayMs);
    lines.push(renderLine(entry, text, facts));
    commands += 1;
    if (isData(command)) unsettled = true;
    if (flowKinds.has(command.kind)) unsettled = false;
    previousEndMs = entry.endedMs ?? entry.startedMs;
  }
  if (log.dropped > 0) {
    lines.push(
      `# ${log.dropped} later lines are not here: the session log holds its first lines only.`,
    );
  }
  return { text: `${lines.join('\n')}\n`, commands };
}

function renderHeader(input: RenderInput): string[] {
  const { config } = input;
  const configText = input.configPath ?? 'the config of that session';
  const replay =
    input.configPath === undefined
      ? `npx quartet run ${input.file}`
      : `npx quartet run ${input.file} --config ${input.configPath}`;
  return [
    `# Saved from a quartet session by \`save\` on ${input.savedAt.toISOString()}.`,
    `# Config: ${configText} (${config.servers.length} servers, replicationFactor ${config.replicationFactor}, defaultLevel ${config.defaultLevel}).`,
    `# Replay: ${replay}`,
    '#',
    '# Each line as typed, with what it returned: the value read or `missing`, `ok`, `error CODE`.',
    '# Left out, because a replay cannot be expected to repeat them: latencies, which replicas',
    '# answered in time, and `stale N` / `repaired N` where timing decided them. They are kept only',
    "# where N missed the key's last write because a partition or 100% loss dropped it, and no",
    "# wait since the link reopened let the coordinator's hint reach it (`repaired N` only while",
    '# that link still drops: once open, the hint may land before the repair); a line notes the',
    '# facts left out. A pause at the prompt after data commands becomes a `sleep` as long (and',
    '# `wait repairs` past half a second), so messages in flight land first.',
    '# Inspection (status, search, ...) is kept as comments; help, quit and save are left out.',
    '',
  ];
}

function renderLine(
  entry: Extract<LogEntry, { kind: 'ran' }>,
  text: string,
  facts: StaleFacts,
): string {
  const { command } = entry.parsed;
  const outcome = entry.outcome;
  if (outcome === undefined) return `${text}    # still running when saved: no assertion`;
  if (!isData(command)) {
    if (outcome.ok) facts.applyCommand(command);
    return outcome.ok ? text : withAssertions(text, [`error ${outcome.errorCode ?? ''}`.trim()]);
  }
  if (command.kind !== 'get') {
    facts.applyWrite(command.key, outcome);
    return withAssertions(text, [outcome.ok ? 'ok' : `error ${outcome.errorCode ?? ''}`.trim()]);
  }
  if (!outcome.ok) return withAssertions(text, [`error ${outcome.errorCode ?? ''}`.trim()]);
  const read = facts.applyRead(command.key, outcome, entry.repairs);
  const notes = read.leftOut.length === 0 ? '' : `    # also saw ${read.leftOut.join(', ')}`;
  if (outcome.found !== true) return withAssertions(text, ['missing', ...read.kept]) + notes;
  const value = outcome.value;
  if (typeof value !== 'string') {
    return `${withAssertions(text, read.kept)}    # the value was over the session log's bound`;
  }
  if (/[\r\n]/.test(value)) {
    return `${withAssertions(text, read.kept)}    # read a value with a line break, which a line cannot hold`;
  }
  return withAssertions(text, [quoteValue(value), ...read.kept]) + notes;
}

function withAssertions(text: string, assertions: string[]): string {
  if (assertions.length === 0) return text;
  return `${text.padEnd(commandColumnWidth)} => ${assertions.join(', ')}`;
}

// The command as typed, without its assertions and comment: `save` writes its own.
function commandText(parsed: ParsedLine): string {
  const tokens = tokenizeLine(parsed.source);
  const arrow = tokens.findIndex((token) => token.kind === 'arrow');
  const head = arrow === -1 ? tokens : tokens.slice(0, arrow);
  const first = head[0];
  const last = head.at(-1);
  if (first === undefined || last === undefined) return parsed.source.trim();
  return parsed.source.slice(first.col - 1, last.end - 1);
}

// A bare word where the grammar reads it back as the same value; else a quoted string.
function quoteValue(value: string): string {
  const bare = /^[A-Za-z0-9_.:/+-]+$/.test(value) && !assertionKeywords.has(value.toLowerCase());
  return bare ? value : `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
