import type { ErrorCode } from '../core/errors.js';
import type { OpResult, ReplicaReport } from '../core/messages.js';

// The JSON bodies of the HTTP API: the fields of the prompt's `--json` records.

export function opResultJson(result: OpResult): Record<string, unknown> {
  const body: Record<string, unknown> = {
    node: result.coordinator,
    op: result.op,
    key: result.key,
    level: result.level,
    value: result.found ? result.value : null,
    found: result.found,
    acks: result.acks,
    required: result.required,
    replicas: replicasJson(result.replicas),
  };
  if (result.ts !== undefined) body.ts = result.ts;
  return body;
}

export function replicasJson(replicas: readonly ReplicaReport[]): Record<string, unknown>[] {
  return replicas.map((report) => {
    const replica: Record<string, unknown> = { node: report.node, state: report.state };
    if (report.ts !== undefined) replica.ts = report.ts;
    if (report.created !== undefined) replica.created = report.created;
    return replica;
  });
}

const statusByCode: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  BAD_COMMAND: 400,
  TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  OVERLOADED: 429,
  UNAVAILABLE: 503,
  NODE_UNREACHABLE: 503,
  TIMEOUT: 504,
};

/** The HTTP status of an error with a registry code: 500 for the codes with none of their own. */
export function statusOfError(code: ErrorCode): number {
  return statusByCode[code] ?? 500;
}
