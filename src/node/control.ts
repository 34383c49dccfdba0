import type { LinkTable } from '../core/links.js';
import type { ControlMessage } from '../protocol/control.js';

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
