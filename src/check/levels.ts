import { requiredAnswers, type LevelName } from '../core/levels.js';

/** Answers a level needs; a level above the replication factor can never succeed. */
export function answersFor(level: LevelName, replicationFactor: number): number {
  try {
    return requiredAnswers(level, replicationFactor);
  } catch {
    return replicationFactor + 1;
  }
}

/** W + R > RF: every read's replicas overlap every completed write's. */
export function quorumsOverlap(
  write: LevelName,
  read: LevelName,
  replicationFactor: number,
): boolean {
  return (
    answersFor(write, replicationFactor) + answersFor(read, replicationFactor) > replicationFactor
  );
}

/** Two reads' replicas overlap too (2R > RF), which monotonic reads need. */
export function readsOverlap(read: LevelName, replicationFactor: number): boolean {
  return 2 * answersFor(read, replicationFactor) > replicationFactor;
}

export function pairName(write: LevelName | '-', read: LevelName): string {
  return `${write}/${read}`;
}
