// Mutations of valid inputs: flip bits, truncate, duplicate, delete, insert and splice bytes.
import fc from 'fast-check';

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'splice'; at: number; other: number; from: number };

/** Mutations applied to one input at most. */
const mutationsPerInputMax = 4;
/** Bytes one insert or duplicate adds at most. */
const mutationBytesMax = 16;

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: mutationBytesMax }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: mutationBytesMax }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: mutationBytesMax }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    other: fc.nat(),
    from: fc.nat(),
  }),
);

function applyMutation(input: Buffer, mutation: Mutation, samples: readonly Buffer[]): Buffer {
  const at = input.length === 0 ? 0 : mutation.at % (input.length + 1);
  switch (mutation.kind) {
    case 'flip': {
      if (input.length === 0) return input;
      const copy = Buffer.from(input);
      const index = at % input.length;
      copy[index] = copy[index]! ^ (1 << mutation.bit);
      return copy;
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'duplicate':
      return Buffer.concat([
        input.subarray(0, at + mutation.length),
        input.subarray(at, at + mutation.length),
        input.subarray(at + mutation.length),
      ]);
    case 'delete':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + mutation.length)]);
    case 'insert':
      return Buffer.concat([input.subarray(0, at), mutation.bytes, input.subarray(at)]);
    case 'splice': {
      const other = samples[mutation.other % samples.length]!;
      const from = other.length === 0 ? 0 : mutation.from % (other.length + 1);
      return Buffer.concat([input.subarray(0, at), other.subarray(from)]);
    }
  }
}

/** Valid byte inputs with one to four mutations each. */
export function mutatedBytesArbitrary(samples: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(
      fc.nat({ max: samples.length - 1 }),
      fc.array(mutationArbitrary, { minLength: 1, maxLength: mutationsPerInputMax }),
    )
    .map(([index, mutations]) =>
      mutations.reduce(
        (input, mutation) => applyMutation(input, mutation, samples),
        samples[index]!,
      ),
    );
}

/** Valid texts with mutations of their UTF-8 bytes (which may leave invalid UTF-8 behind). */
export function mutatedTextArbitrary(samples: readonly string[]): fc.Arbitrary<string> {
  return mutatedBytesArbitrary(samples.map((text) => Buffer.from(text, 'utf8'))).map((bytes) =>
    bytes.toString('utf8'),
  );
}
