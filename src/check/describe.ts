import type { Operation } from './operations.js';

/** An operation as a report names it: `#12 update k1 c1.3 (quorum) at 41.2 ms`. */
export function describeOperation(op: Operation): string {
  const at = `at ${formatMs(op.invokeMs)}`;
  const subject =
    op.op === 'get'
      ? `get ${op.key} → ${op.ok ? (op.found ? op.value! : 'not found') : (op.error ?? 'failed')}`
      : op.op === 'delete'
        ? `delete ${op.key}`
        : `${op.op} ${op.key} ${op.value ?? ''}`;
  const outcome =
    op.isWrite && !op.ok ? `, ${op.error ?? 'failed'}: may or may not have applied` : '';
  return `#${op.id} ${subject} (${op.level}${outcome}) ${at}`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? 'never' : 'the start';
  return `${Math.round(ms * 1000) / 1000} ms`;
}
