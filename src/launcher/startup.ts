import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { Cluster } from './cluster.js';

/**
 * Starts every node at once, a listr2 task per node with its ready time, then waits until the
 * nodes are connected to each other. Output goes to stderr so stdout stays for results.
 */
export async function startCluster(cluster: Cluster, options: { quiet: boolean }): Promise<void> {
  await cluster.prepare();
  const startedAtMs = performance.now();
  const tasks = new Listr(
    [
      {
        title: 'Starting nodes',
        task: (_, task) =>
          task.newListr(
            cluster.nodeIds.map((id) => {
              const { host, port } = cluster.info(id);
              return {
                title: `node ${id} on ${host}:${port}`,
                task: async (_ctx, nodeTask) => {
                  const nodeStartMs = performance.now();
                  await cluster.startNode(id);
                  const readyMs = Math.round(performance.now() - nodeStartMs);
                  nodeTask.title = `node ${id} on ${host}:${port} ready in ${readyMs} ms (pid ${cluster.info(id).pid})`;
                },
              };
            }),
            { concurrent: true, exitOnError: true },
          ),
      },
      {
        title: 'Connecting nodes to each other',
        task: async (_ctx, task) => {
          await cluster.waitForPeers();
          task.title = `All ${cluster.nodeIds.length} nodes up and connected in ${Math.round(performance.now() - startedAtMs)} ms`;
        },
      },
    ],
    {
      renderer: 'default',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: !process.stderr.isTTY,
      silentRendererCondition: options.quiet,
      rendererOptions: {
        logger: new ListrLogger({
          processOutput: new ProcessOutput(process.stderr, process.stderr),
        }),
      },
      fallbackRendererOptions: {
        logger: new ListrLogger({
          processOutput: new ProcessOutput(process.stderr, process.stderr),
        }),
      },
      exitOnError: true,
      collectErrors: false,
      // listr2's own SIGINT handler exits 127; stop-on-signal exits 128 + n after stopping nodes.
      registerSignalListeners: false,
    },
  );
  await tasks.run();
}
