import { QuartetError } from './errors.js';

export const levelNames = ['one', 'two', 'three', 'quorum', 'all'] as const;
export type LevelName = (typeof levelNames)[number];

export function isLevelName(value: unknown): value is LevelName {
  return typeof value === 'string' && (levelNames as readonly string[]).includes(value);
}

// How many replica answers a level needs; a level above the replication factor is UNAVAILABLE.
export function requiredAnswers(level: LevelName, replicationFactor: number): number {
  const required = countFor(level, replicationFactor);
  if (required > replicationFactor) {
    throw new QuartetError(
      'UNAVAILABLE',
      `Level \`${level}\` needs ${required} replicas but the replication factor is ${replicationFactor}; use a level of at most ${replicationFactor} (one, quorum or all).`,
    );
  }
  return required;
}

/** Answers a level needs, above the replication factor when it can never succeed. */
export function answersFor(level: LevelName, replicationFactor: number): number {
  return countFor(level, replicationFactor);
}

/** W + R > RF: every read's replicas overlap every completed write's, so a read sees it. */
export function quorumsOverlap(
  write: LevelName,
  read: LevelName,
  replicationFactor: number,
): boolean {
  return (
    answersFor(write, replicationFactor) + answersFor(read, replicationFactor) > replicationFactor
  );
}

function countFor(level: LevelName, replicationFactor: number): number {
  switch (level) {
    case 'one':
      return 1;
    case 'two':
      return 2;
    case 'three':
      return 3;
    case 'quorum':
      return Math.floor(replicationFactor / 2) + 1;
    case 'all':
      return replicationFactor;
  }
}
