import type { AntiEntropyReport } from '../core/messages.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import type { FaultCommand } from './commands.js';
import type { CommandRecord } from './records.js';

/** Injects a fault directive into the cluster (processes and links) and says what it did. */
export async function injectFault(
  cluster: ClusterHandle,
  command: FaultCommand,
): Promise<Partial<CommandRecord>> {
  switch (command.kind) {
    case 'kill':
      await cluster.kill(command.node);
      return { message: `node ${command.node} killed (SIGKILL)` };
    case 'restart':
      await cluster.restart(command.node);
      return { message: `node ${command.node} restarted` };
    case 'pause':
      cluster.pause(command.node);
      return { message: `node ${command.node} paused (SIGSTOP)` };
    case 'resume':
      cluster.resume(command.node);
      return { message: `node ${command.node} resumed (SIGCONT)` };
    case 'partition':
      await cluster.broadcast({ type: 'partition', groups: command.groups });
      return {
        message: `partitioned: ${command.groups.map((group) => group.join(',')).join(' | ')}`,
      };
    case 'heal':
      await cluster.broadcast({ type: 'heal' });
      return { message: 'partition healed' };
    case 'delay':
      if (command.from === undefined) {
        await cluster.broadcast({
          type: 'server-delay',
          to: command.to,
          delayMsMean: command.delayMs,
        });
        return {
          message: `messages to node ${command.to} now take ${command.delayMs} ms on average`,
        };
      }
      await cluster.broadcast({
        type: 'link-delay',
        from: command.from,
        to: command.to,
        delayMsMean: command.delayMs,
      });
      return {
        message: `link ${command.from}->${command.to} now takes ${command.delayMs} ms on average`,
      };
    case 'loss':
      await cluster.broadcast({
        type: 'link-loss',
        from: command.from,
        to: command.to,
        lossRate: command.lossRate,
      });
      return {
        message: `link ${command.from}->${command.to} now drops ${Math.round(command.lossRate * 100)}% of messages`,
      };
    case 'skew':
      await cluster.broadcast({ type: 'clock-skew', node: command.node, skewMs: command.skewMs });
      return {
        message:
          command.skewMs === 0
            ? `node ${command.node}'s clock reads true time again`
            : `node ${command.node}'s clock now reads ${Math.abs(command.skewMs)} ms ${command.skewMs < 0 ? 'behind' : 'ahead'}`,
      };
  }
}

// `repair N`: node N runs anti-entropy with each of its peers; `repair`: every node up does.
export async function runAntiEntropy(
  cluster: ClusterHandle,
  only: number | undefined,
): Promise<Partial<CommandRecord>> {
  const targets =
    only !== undefined ? [only] : cluster.nodeIds.filter((id) => cluster.info(id).state === 'up');
  const reports: AntiEntropyReport[] = [];
  for (const id of targets) {
    const reply = await (await cluster.client(id)).send({ type: 'anti-entropy' }).reply;
    reports.push(...(reply.reports as AntiEntropyReport[]));
  }
  const failed = reports.filter((report) => report.error !== undefined).length;
  const streamed = reports.reduce((sum, report) => sum + report.keysReceived + report.keysSent, 0);
  return {
    antiEntropy: reports,
    message: `anti-entropy: ${reports.length} exchanges, ${streamed} keys streamed${failed > 0 ? `, ${failed} failed` : ''}`,
  };
}
