/** Set by an orchestrator tracing its run, for the nodes it forks: its start on the host clock in µs. */
export const traceOriginEnv = 'QUARTET_TRACE_ORIGIN_US';
