import { Command, CommanderError, Option } from 'commander';
import { toErrorRecord } from '../core/errors.js';
import {
  addClusterOptions,
  createClusterOption,
  outputOptionsHeading,
  parseInteger,
  parsePort,
} from './cluster-options.js';
import { exitOnSignals } from '../launcher/stop-on-signal.js';

/** The `quartet` command line: wires subcommands to their modules, loaded on use. */
export async function main(argv: string[]): Promise<void> {
  // First of all: a signal at any moment stops what was started and exits 128 + its number.
  exitOnSignals();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return;
      process.exitCode = 2;
      return;
    }
    const record = toErrorRecord(error);
    process.stderr.write(`error ${record.code}: ${record.message}\n`);
    process.exitCode = record.code === 'USAGE' || record.code === 'BAD_CONFIG' ? 2 : 1;
  }
}

function buildProgram(): Command {
  const program = new Command('quartet')
    .description(
      'A replicated key-value store on your laptop: four nodes, tunable consistency, read repair.',
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`error USAGE: ${text.replace(/^error: /, '')}`),
    });

  // --width: every table of the command fits this many columns (default: the terminal's width).
  const width = () =>
    new Option('--width <columns>', 'fit tables to this width (piped: full rows)').argParser(
      parseInteger,
    );

  // --trace FILE: the run's trace (docs/trace.md), on up and run.
  const trace = () =>
    new Option(
      '--trace <file>',
      'write the run\u2019s trace (JSON lines, docs/trace.md) to <file>',
    );

  // --report FILE: the run's HTML report (its trace and check findings), on run and sim.
  const report = () =>
    new Option(
      '--report <file>',
      'write the run\u2019s report (one HTML file: messages, quorums, findings) to <file>',
    );

  const up = program
    .command('up')
    .description(
      'start every node of the config, then a prompt (piped input runs and exits); --attach: the prompt against nodes already running',
    )
    .option('--attach', 'use nodes already running (`quartet node`) instead of starting them')
    .option('--history <file>', 'write every operation and fault as a history for `quartet check`')
    .addOption(trace())
    .option(
      '--web',
      'serve the live page (ring, nodes, links, messages, the prompt) and print its URL',
    )
    .option('--web-port <port>', 'port of the live page (default: a free one)', parsePort)
    .option('--web-host <address>', 'address the live page listens on (default 127.0.0.1)');
  addClusterOptions(up, { attach: true });
  up.optionsGroup(outputOptionsHeading)
    .option('--json', 'print one JSON line per result instead of tables')
    .addOption(width())
    .action(async (options) => {
      const { runUp } = await import('./up.js');
      await runUp(options);
    });

  const run = program
    .command('run')
    .description(
      'run batch command files (.kv) against a fresh cluster, with assertions and a summary',
    )
    .argument('<files...>', 'batch files, run in order; `-` reads standard input')
    .option('--attach', 'use nodes already running (`quartet node`) instead of starting a cluster')
    .option(
      '--history <file>',
      'write the file\u2019s operations and faults as a history for `quartet check`',
    )
    .addOption(trace())
    .addOption(report());
  addClusterOptions(run, { attach: true });
  run
    .optionsGroup(outputOptionsHeading)
    .option('--json', 'print JSON lines (a line per command, per repair, a summary per file)')
    .option(
      '--junit <file>',
      'also write a JUnit XML report: a suite per file, a case per assertion',
    )
    .addOption(width())
    .action(async (files: string[], options) => {
      const { runBatch } = await import('./batch/run.js');
      process.exitCode = await runBatch(files, options);
    });

  const node = program
    .command('node')
    .description(
      'run one node in the foreground (as the original `mp3.py -p 10000`); on a terminal, with the prompt of `quartet up`, coordinated by this node',
    )
    .option('--id <n>', 'which server of the config this node is (1..N)', parseInteger)
    .option(
      '-p, --port <port>',
      'or: the port of this node\u2019s server in the config',
      parseInteger,
    )
    .option(
      '--listen <address>',
      'bind this address (e.g. 0.0.0.0) instead of the config\u2019s host; peers dial the config\u2019s',
    )
    .option(
      '--http-port <port>',
      'serve the HTTP API on this port (default: the server\u2019s httpPort in the config)',
      parseInteger,
    )
    .option('--prompt', 'show the prompt on piped input too (end of input closes only the prompt)')
    .option('--no-prompt', 'serve only, even on a terminal')
    .option('--history <file>', 'the prompt\u2019s operations as a history for `quartet check`');
  addClusterOptions(node);
  node
    .optionsGroup(outputOptionsHeading)
    .option('--json', 'the prompt prints one JSON line per result instead of tables')
    .addOption(width())
    .action(async (options) => {
      const { runNodeCommand } = await import('./node-command.js');
      await runNodeCommand(options);
    });

  program
    .command('secret')
    .description('print a new cluster secret (for QUARTET_SECRET or a --secret-file)')
    .action(async () => {
      const { createSecret } = await import('../node/secret.js');
      process.stdout.write(`${createSecret()}\n`);
    });

  const bench = program
    .command('bench')
    .description(
      'benchmark a fresh cluster on free ports (YCSB-style workloads; a --config\u2019s servers move to free ports); prints a table, writes JSON',
    )
    .option(
      '-w, --workload <name>',
      'A (50% read/50% update), B (95/5), C (read only), W (write only)',
      'A',
    )
    .option(
      '-l, --level <levels>',
      'consistency level; a comma list runs one phase per level',
      'one',
    )
    .option('--read-level <level>', 'level of reads (overrides --level for reads)')
    .option('--write-level <level>', 'level of writes (overrides --level for writes)')
    .option(
      '--load-level <level>',
      'level of the load phase\u2019s inserts (default: the write level)',
    )
    .option(
      '-i, --inflight <n>',
      'requests in flight: connections \u00d7 pipelined requests each',
      parseInteger,
      64,
    )
    .option(
      '--clients <n>',
      'connections, round-robin over the nodes (default: one per node)',
      parseInteger,
    )
    .option(
      '-d, --duration <time>',
      'how long each phase runs, e.g. 10s (bare numbers are seconds)',
      '10s',
    )
    .option('--warmup <time>', 'unmeasured warm-up before each phase (default 1s; 0 with --ops)')
    .option('--ops <n>', 'operations per phase instead of a duration', parseInteger)
    .option('--records <n>', 'records inserted by the load phase', parseInteger, 10_000)
    .option('--value-size <bytes>', 'bytes per value', parseInteger, 100)
    .addOption(
      // No commander default: resolveBenchOptions picks zipfian, and `--vs` uniform.
      new Option(
        '--keys <distribution>',
        'key popularity (default zipfian; uniform with --vs)',
      ).choices(['uniform', 'zipfian']),
    )
    .option('--servers <n>', 'nodes of a generated zero-delay config (default 4)', parseInteger)
    .option(
      '--rf <n>',
      'replication factor (default: the config\u2019s, or min(3, servers))',
      parseInteger,
    )
    .option(
      '-o, --out <file>',
      'where to write the JSON result (default bench/results/<time>-<workload>.json)',
    )
    .option('--seed <n>', 'seed of the keys, values and network delays', parseInteger)
    .option('--durable', 'the nodes\u2019 durable store (in a temp dir) instead of memory')
    .option('--trace', 'the nodes trace every event to the orchestrator (the cost of tracing)')
    .option('--http', 'drive the nodes through their HTTP API (JSON) instead of MessagePack')
    .option('-q, --quiet', 'no progress on stderr')
    .option(
      '--compare <files...>',
      'print the ratios between two JSON results (A.json B.json) and exit',
    )
    .option('--vs <peer>', 'run quartet and redis or etcd (installed binaries) in turn; ratios')
    .option('--rounds <n>', 'rounds of quartet then peer with --vs (default 2)', parseInteger)
    .addOption(width())
    .action(async (options) => {
      const { runBench } = await import('../bench/run-bench.js');
      await runBench(options);
    });
  addClusterOptions(bench, { only: ['config', 'delayUnit'] });

  program
    .command('sim')
    .description(
      'run seeded simulations of the cluster (the same core, a virtual network) and check them',
    )
    .option('--seed <n>', 'run one seed and show its check report', parseInteger)
    .option('--seeds <n>', 'run this many seeds and sum up their reports', parseInteger)
    .option('--from <n>', 'first seed of --seeds', parseInteger)
    .option('--workers <n>', 'threads --seeds runs on (default: one per core)', parseInteger)
    .option('-c, --config <file>', 'cluster config (default: a random cluster per seed)')
    .addOption(createClusterOption('delayUnit'))
    .option('--write-level <levels>', 'levels writes pick from, comma-separated')
    .option('--read-level <levels>', 'levels reads pick from, comma-separated')
    .addOption(
      new Option('--read-repair <mode>', 'read repair mode').choices([
        'background',
        'blocking',
        'off',
      ]),
    )
    .addOption(
      new Option('--storage <kind>', 'what a crash keeps (default: random per seed)').choices([
        'memory',
        'durable',
      ]),
    )
    .option('--no-faults', 'no crashes, partitions, loss or clock skew')
    .option('--clients <n>', 'concurrent clients', parseInteger)
    .option('--ops <n>', 'operations per client', parseInteger)
    .option('--keys <n>', 'number of keys', parseInteger)
    .option('--history <file>', 'write the seed\u2019s history (JSON lines) to <file>')
    .option('--trace <file>', 'write the seed\u2019s trace (JSON lines, docs/trace.md) to <file>')
    .addOption(report())
    .option('--json', 'print JSON instead of tables')
    .option('--pbs', 'staleness table: simulated vs the PBS model, for --config')
    .option('--trials <n>', 'PBS: trials per cell', parseInteger)
    .option('--t-max <ms>', 'PBS: the largest t', (value: string) => Number(value))
    .option('--t-step <ms>', 'PBS: the step of t', (value: string) => Number(value))
    .option('--levels <pairs>', 'PBS: write/read level pairs, e.g. one/one,quorum/one')
    .addOption(width())
    .action(async (options) => {
      const { runSimCommand } = await import('../sim/sim-command.js');
      process.exitCode = await runSimCommand(options);
    });

  program
    .command('check')
    .description('check a history (JSON lines) against the promises of its consistency levels')
    .argument('<history>', 'a history file written by `quartet sim --history` or a cluster')
    .option('--json', 'print the report as JSON')
    .addOption(width())
    .action(async (file: string, options) => {
      const { runCheckCommand } = await import('../check/check-command.js');
      process.exitCode = await runCheckCommand(file, options);
    });

  program
    .command('report')
    .description('turn a trace (--trace FILE) into one self-contained HTML report, or an SVG')
    .argument('<trace>', 'a trace file (JSON lines, docs/trace.md)')
    .option('-o, --out <file>', 'where to write the HTML report (default: TRACE with .html)')
    .option('--svg <file>', 'write the Lamport diagram alone as SVG (for slides)')
    .option('--causal', 'the SVG in causal order instead of real time')
    .option('--history <file>', 'the same run\u2019s history: pin `quartet check` findings to ops')
    .action(async (file: string, options) => {
      const { runReportCommand } = await import('../trace/report-command.js');
      process.exitCode = await runReportCommand(file, options);
    });

  return program;
}
