import type { LinkTable } from '../core/links.js';

/** What the orchestrator may tell a node over its IPC channel. */
/** A control message as sent: `id` comes back in the node's `control-ack`. */
export type ControlEnvelope = ControlMessage & { id: number };

export type ControlMessage =
  | { type: 'server-delay'; to: number; delayMsMean: number }
  | { type: 'link-delay'; from: number; to: number; delayMsMean: number }
  | { type: 'link-loss'; from: number; to: number; lossRate: number }
  | { type: 'partition'; groups: number[][] }
  | { type: 'heal' }
  /** Node `node`'s wall clock reads Date.now() + skewMs (0 restores it); the others ignore it. */
  | { type: 'clock-skew'; node: number; skewMs: number };

/** What a node tells the orchestrator. */
export type NodeReport =
  | { type: 'ready'; nodeId: number; pid: number; port: number; httpPort?: number }
  | { type: 'peer-up' | 'peer-down'; nodeId: number; peer: number }
  | { type: 'fatal'; nodeId: number; code: string; message: string }
  | { type: 'control-ack'; nodeId: number; id: number }
  | { type: 'warning'; nodeId: number; message: string };

/** What a control message acts on: the node's view of the links, and its clock. */
export interface ControlTarget {
  id: number;
  links: LinkTable;
  clock: { skewMs: number };
}

/** Applies a control message to this node's links or clock; false when it is not one. */
export function applyControl(target: ControlTarget, message: unknown): boolean {
  const { links } = target;
  const control = message as ControlMessage;
  switch (control?.type) {
    case 'server-delay':
      links.setServerDelay(control.to, control.delayMsMean);
      return true;
    case 'link-delay':
      links.setLinkDelay(control.from, control.to, control.delayMsMean);
      return true;
    case 'link-loss':
      links.setLinkLoss(control.from, control.to, control.lossRate);
      return true;
    case 'partition':
      links.partition(control.groups);
      return true;
    case 'heal':
      links.heal();
      return true;
    case 'clock-skew':
      if (control.node === target.id) target.clock.skewMs = control.skewMs;
      return true;
    default:
      return false;
  }
}
