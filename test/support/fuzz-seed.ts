// The seed of a fuzz test: DELFIN_FUZZ_SEED=<n> replays a run, DELFIN_FUZZ_SEED=random draws a
// new one; a fixed seed by default, so `npm test` is repeatable. A failing case names its seed.

export { prng, type Rng } from './prng.js';

/** The run's seed (printed by `describeSeed`) from DELFIN_FUZZ_SEED, else `fallback`. */
export function fuzzSeed(fallback: number): number {
  const v = process.env.DELFIN_FUZZ_SEED;
  if (v === 'random') return Date.now() % 2 ** 31;
  return v === undefined || v === '' ? fallback : Number(v);
}

/** How many cases to run: `DELFIN_FUZZ_CASES` (a larger run) or the test's modest default. */
export function fuzzCases(fallback: number): number {
  const v = Number(process.env.DELFIN_FUZZ_CASES);
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
}

/** The line to put in an assertion message: how to replay this case. */
export function replay(seed: number, index: number): string {
  return `fuzz seed ${seed}, case ${index} (replay: DELFIN_FUZZ_SEED=${seed} DELFIN_FUZZ_CASES=${index + 1})`;
}
