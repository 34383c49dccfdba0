import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { DriveProgress } from './driver.js';

export interface BenchStep {
  title: string;
  /** Runs the step, counting into `progress`; returns the title to leave on screen. */
  run(progress: DriveProgress): Promise<string>;
}

const progressEveryMs = 500;

/** Runs the steps one after another with listr2 on stderr, live counts on a terminal. */
export async function runSteps(steps: BenchStep[], options: { quiet: boolean }): Promise<void> {
  const live = process.stderr.isTTY === true && !options.quiet;
  const logger = new ListrLogger({
    processOutput: new ProcessOutput(process.stderr, process.stderr),
  });
  const tasks = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_ctx: unknown, task: { title: string; output: string }) => {
        const progress: DriveProgress = { completed: 0, failed: 0 };
        const startedAtMs = performance.now();
        const timer = live
          ? setInterval(() => {
              task.output = describeProgress(progress, performance.now() - startedAtMs);
            }, progressEveryMs)
          : undefined;
        try {
          task.title = await step.run(progress);
        } finally {
          clearInterval(timer);
        }
      },
    })),
    {
      renderer: options.quiet ? 'silent' : 'default',
      fallbackRenderer: options.quiet ? 'silent' : 'simple',
      fallbackRendererCondition: !process.stderr.isTTY,
      rendererOptions: { logger },
      fallbackRendererOptions: { logger },
      exitOnError: true,
      collectErrors: false,
      // The bench's own handler stops the nodes before it exits.
      registerSignalListeners: false,
    },
  );
  await tasks.run();
}

function describeProgress(progress: DriveProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((progress.completed / elapsedMs) * 1000) : 0;
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : '';
  return `${progress.completed.toLocaleString('en-US')} ops, ${rate.toLocaleString('en-US')} ops/s${failed}`;
}
