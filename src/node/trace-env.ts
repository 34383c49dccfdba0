/** Set by an orchestrator tracing its run, for the nodes it forks: its start on the host clock in µs. */
export const traceOriginEnv = 'QUARTET_TRACE_ORIGIN_US';
/** For a node started again: the last message number its earlier run traced (ids stay unique). */
export const traceMessagesBeforeEnv = 'QUARTET_TRACE_MESSAGES_BEFORE';
