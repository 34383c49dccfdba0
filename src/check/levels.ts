import { answersFor, type LevelName } from '../core/levels.js';

// The level arithmetic lives in core (explain uses it too); the checker's names stay here.
export { answersFor, quorumsOverlap } from '../core/levels.js';

/** Two reads' replicas overlap too (2R > RF), which monotonic reads need. */
export function readsOverlap(read: LevelName, replicationFactor: number): boolean {
  return 2 * answersFor(read, replicationFactor) > replicationFactor;
}

export function pairName(write: LevelName | '-', read: LevelName): string {
  return `${write}/${read}`;
}
