import { endOf, membersOf, startOf, type Cluster } from './clusters.js';

/**
 * A cluster's zone: from the earliest end to the latest start of its operations. Forward when
 * some operation ended before another began (the value had to stay current over the zone),
 * backward otherwise (all its operations overlap).
 */
export interface Zone {
  cluster: Cluster;
  forward: boolean;
  /** Forward: the earliest end. Backward: the latest start. */
  left: number;
  right: number;
}

export interface ZoneConflict {
  kind: 'overlap' | 'inside';
  /** overlap: two forward zones; inside: `first` forward, `second` backward inside it. */
  first: Zone;
  second: Zone;
}

export function zoneOf(cluster: Cluster): Zone {
  let latestStart = -Infinity;
  let earliestEnd = Infinity;
  for (const op of membersOf(cluster)) {
    latestStart = Math.max(latestStart, startOf(op));
    earliestEnd = Math.min(earliestEnd, endOf(op));
  }
  return earliestEnd < latestStart
    ? { cluster, forward: true, left: earliestEnd, right: latestStart }
    : { cluster, forward: false, left: latestStart, right: earliestEnd };
}

/**
 * Gibbons & Korach: a history whose reads each map to a write is linearizable iff no two
 * forward zones overlap and no backward zone lies inside a forward one. O(n log n); stops after
 * `conflictsMax` conflicts. Ties (equal times) are concurrent and never conflict.
 */
export function findZoneConflicts(
  clusters: readonly Cluster[],
  conflictsMax: number,
): ZoneConflict[] {
  const zones = clusters.map(zoneOf);
  const forward = zones.filter((zone) => zone.forward).sort((a, b) => a.left - b.left);
  const conflicts: ZoneConflict[] = [];
  // reach[i]: the forward zone reaching furthest right among forward[0..i].
  const reach: Zone[] = [];
  for (const zone of forward) {
    const furthest = reach[reach.length - 1];
    if (furthest !== undefined && zone.left < furthest.right && conflicts.length < conflictsMax) {
      conflicts.push({ kind: 'overlap', first: furthest, second: zone });
    }
    reach.push(furthest !== undefined && furthest.right >= zone.right ? furthest : zone);
  }
  for (const zone of zones) {
    if (zone.forward || conflicts.length >= conflictsMax) continue;
    let low = 0;
    let high = forward.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (forward[mid]!.left < zone.left) low = mid + 1;
      else high = mid;
    }
    const container = low > 0 ? reach[low - 1]! : undefined;
    if (container !== undefined && zone.right < container.right) {
      conflicts.push({ kind: 'inside', first: container, second: zone });
    }
  }
  return conflicts;
}
