// The delay model's latency of one request: a round trip per replica, the level's k-th answer.

/** How long a message from `from` to `to` takes: a mean, or one sample of the link's delay. */
export type LinkDelayMs = (from: number, to: number) => number;

/**
 * Each replica's round trip from the coordinator, in the replicas' order: the delay to it plus
 * the delay back, or zero for the coordinator itself (it reads and writes locally). Fills `out`
 * so that a hot loop allocates nothing.
 */
export function measureRoundTripsMs(
  coordinator: number,
  replicas: readonly number[],
  delayMs: LinkDelayMs,
  out: number[] = [],
): number[] {
  out.length = 0;
  for (const replica of replicas)
    out.push(
      replica === coordinator ? 0 : delayMs(coordinator, replica) + delayMs(replica, coordinator),
    );
  return out;
}

/**
 * When the coordinator has `required` answers: the `required`-th smallest round trip (the
 * smallest for `one`, the middle for `quorum` of 3, the largest for `all`). Sorts `roundTripsMs`
 * in place. Infinity when fewer round trips than that exist (the level cannot be met).
 */
export function selectAnswerMs(roundTripsMs: number[], required: number): number {
  if (required < 1) return 0;
  if (required > roundTripsMs.length) return Number.POSITIVE_INFINITY;
  roundTripsMs.sort((a, b) => a - b);
  return roundTripsMs[required - 1]!;
}
