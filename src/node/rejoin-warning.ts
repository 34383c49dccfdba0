/**
 * What a node that was down longer than the tombstone grace says when it starts again: its
 * peers may have purged tombstones of values it still holds, so those values may come back
 * (Cassandra's zombies). Undefined when it was down shorter, or the time is unknown.
 */
export function rejoinWarning(
  nodeId: number,
  downForMs: number | undefined,
  tombstoneGraceMs: number,
): string | undefined {
  if (downForMs === undefined || downForMs <= tombstoneGraceMs) return undefined;
  return `Node ${nodeId} was down for ${Math.round(downForMs / 1000)} s, longer than tombstoneGraceMs (${tombstoneGraceMs} ms): values deleted meanwhile may come back from it. Run \`repair ${nodeId}\` now.`;
}
