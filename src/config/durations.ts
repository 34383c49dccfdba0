import { QuartetError } from '../core/errors.js';

export type BareUnit = 'ms' | 's';

// The largest delay a Node timer can hold (setTimeout clamps anything above it to 1ms).
export const durationMsMax = 2_147_483_647;

const msPerUnit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof msPerUnit;

const durationPattern = /^(-?(?:\d+(?:\.\d+)?|\.\d+))\s*(ms|s|m|h)?$/;
const acceptedForms = 'a duration such as "150ms", "1.5s", "2m" or a plain number';

// Turns "150ms", "1.5s", "2m", "1h" or a bare number (in bareUnit) into milliseconds.
export function parseDurationMs(
  input: string | number,
  bareUnit: BareUnit,
  field = 'the duration',
): number {
  const { amount, unit } = splitDuration(input, bareUnit, field);
  if (amount < 0) {
    throw new QuartetError(
      'BAD_CONFIG',
      `Expected ${field} to be zero or more, got ${showInput(input)}; delays and timeouts cannot be negative.`,
    );
  }
  const ms = Math.round(amount * msPerUnit[unit] * 1000) / 1000;
  if (ms > durationMsMax) {
    throw new QuartetError(
      'BAD_CONFIG',
      `Expected ${field} to be at most ${formatDurationMs(durationMsMax)} (the longest timer Node can hold), got ${showInput(input)}.`,
    );
  }
  return ms;
}

// parseDurationMs names any other type in its message, so untrusted values go straight in.
export function parseDurationField(value: unknown, bareUnit: BareUnit, field: string): number {
  return parseDurationMs(value as string | number, bareUnit, field);
}

// The shortest readable form of a duration: 150 -> "150ms", 1500 -> "1.5s", 120000 -> "2m".
export function formatDurationMs(ms: number): string {
  if (ms >= msPerUnit.h && ms % msPerUnit.h === 0) return `${ms / msPerUnit.h}h`;
  if (ms >= msPerUnit.m && ms % msPerUnit.m === 0) return `${ms / msPerUnit.m}m`;
  if (ms >= msPerUnit.s) return `${roundTo3(ms / msPerUnit.s)}s`;
  return `${roundTo3(ms)}ms`;
}

function splitDuration(
  input: string | number,
  bareUnit: BareUnit,
  field: string,
): { amount: number; unit: Unit } {
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return { amount: input, unit: bareUnit };
  } else if (typeof input === 'string') {
    const match = durationPattern.exec(input.trim());
    if (match?.[1] !== undefined) {
      const unit = (match[2] as Unit | undefined) ?? bareUnit;
      return { amount: Number(match[1]), unit };
    }
  }
  throw new QuartetError(
    'BAD_CONFIG',
    `Expected ${field} to be ${acceptedForms} (bare numbers are ${bareUnit === 'ms' ? 'milliseconds' : 'seconds'}), got ${showInput(input)}.`,
  );
}

function showInput(input: unknown): string {
  return typeof input === 'number' ? String(input) : (JSON.stringify(input) ?? String(input));
}

function roundTo3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
