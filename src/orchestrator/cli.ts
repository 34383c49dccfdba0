import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { toErrorRecord } from '../core/errors.js';

/** The `quartet` command line: wires subcommands to their modules, loaded on use. */
export async function main(argv: string[]): Promise<void> {
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

  const delayUnit = () =>
    new Option(
      '--delay-unit <unit>',
      'unit of bare delay numbers in the config (config.py: s)',
    ).choices(['ms', 's']);

  program
    .command('up')
    .description('start every node of the config, then a prompt (piped input runs and exits)')
    .option('-c, --config <file>', 'cluster config (.json or the original config.py)')
    .addOption(delayUnit())
    .option('--json', 'print one JSON line per result instead of tables')
    .option('--logs', 'interleave the nodes\u2019 logs on stderr with a prefix per node')
    .option('--dir <dir>', 'the cluster\u2019s working directory (logs)', '.quartet')
    .option('--seed <n>', 'seed the sampled network delays', parseInteger)
    .action(async (options) => {
      const { runUp } = await import('./up.js');
      await runUp(options);
    });

  program
    .command('node')
    .description('run one node in the foreground (as the original `mp3.py -p 10000`)')
    .requiredOption('-c, --config <file>', 'cluster config (.json or config.py)')
    .option('--id <n>', 'which server of the config this node is (1..N)', parseInteger)
    .option(
      '-p, --port <port>',
      'or: the port of this node\u2019s server in the config',
      parseInteger,
    )
    .addOption(delayUnit())
    .option('--seed <n>', 'seed the sampled network delays', parseInteger)
    .action(async (options) => {
      const { runNode } = await import('../node/main.js');
      await runNode(options);
    });

  return program;
}

function parseInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('Expected a non-negative integer.');
  return parsed;
}
