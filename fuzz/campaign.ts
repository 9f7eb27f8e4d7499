/**
 * A fuzzing campaign: `runs` programs from one seed, each run natively and lowered in the sandbox,
 * two at a time; every mismatch is confirmed in fresh node processes and shrunk by fast-check to a
 * minimal program, printed as a fixture.
 *
 * Each program is drawn from its own seed, derived from the campaign's seed and its index, so
 * that many run at once (fast-check itself runs one predicate at a time). A mismatch is shrunk by
 * `fc.check(property, { seed: programSeed, numRuns: 1 })`, whose one run regenerates exactly that
 * program: what is sampled is what is shrunk. (One seed per program, not one stream: past its first
 * few values, `fc.sample`'s stream and `fc.check`'s replay of a path do not always agree.)
 */
import fc from "fast-check";
import { format } from "prettier";
import { mapWithConcurrency } from "../src/exec/index.js";
import { checkInProcesses, checkInSandbox, type Verdict } from "./differential.js";
import { programArbitrary, type ProgramShape } from "./program/arbitraries.js";
import type { Program } from "./program/ast.js";
import type { Feature } from "./program/features.js";
import { printProgram, type Workaround } from "./program/print.js";
import { SandboxPool } from "./sandbox.js";

export interface CampaignOptions {
  runs: number;
  seed: number;
  /** Programs in flight at once (sandbox workers). Default 2. */
  concurrency?: number;
  shape?: ProgramShape;
  /** Known lowering bugs to steer around (print.ts); none by default. */
  workarounds?: ReadonlySet<Workaround>;
  /** Generator features to switch on (program/features.ts); none by default. */
  features?: ReadonlySet<Feature>;
  /** Stop drawing programs once this many mismatches were seen. Default: never. */
  stopAfter?: number;
  /** Shrink (and confirm) at most this many mismatches; later ones are counted only. Default 3. */
  maxShrunk?: number;
  /** Run only the program drawn from this seed (a `programSeed` a report printed); `runs` is ignored. */
  replay?: number;
  onProgress?: (done: number, mismatches: number) => void;
  /** Called with each program's source, for `--replay` to show it. */
  onProgram?: (source: string) => void;
}

export interface Mismatch {
  /** Position among the campaign's programs (0-based). */
  index: number;
  /** `fc.check(property, { seed: programSeed, numRuns: 1 })` regenerates and shrinks it
   *  (`npm run fuzz -- --replay <programSeed>`). */
  programSeed: number;
  /** The sandbox verdict on the program as generated. */
  verdict: Verdict;
  source: string;
  /** Filled for the first `maxShrunk` mismatches. */
  shrunk?: ShrunkMismatch;
}

export interface ShrunkMismatch {
  program: Program;
  /** Formatted, starting with a `// Checks:` line: ready to become fixtures/<topic>/<name>.ts. */
  fixture: string;
  sandboxVerdict: Verdict;
  /** The verdict of fresh node processes on the shrunk program (the repository's own oracle). */
  processVerdict: Verdict;
  /** Whether the unshrunk program also differs in fresh processes (checked when the shrunk one does not). */
  originalConfirmed: boolean;
  shrinkSteps: number;
}

export interface Coverage {
  programs: number;
  /** Form name -> times printed. */
  occurrences: Map<string, number>;
  /** Form name -> programs that printed it at least once. */
  programsWith: Map<string, number>;
}

export interface CampaignReport {
  runs: number;
  seed: number;
  elapsedMs: number;
  mismatches: Mismatch[];
  coverage: Coverage;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const { seed, concurrency = 2, shape, stopAfter = Infinity, maxShrunk = 3, replay } = options;
  const runs = replay === undefined ? options.runs : 1;
  const started = performance.now();
  const pool = new SandboxPool({ size: concurrency });
  const workarounds = options.workarounds ?? new Set<Workaround>();
  const features = options.features ?? new Set<Feature>();
  // A program that shadows `Symbol` or `Promise` at its top must meet the runtime in its own scope.
  const inlineRuntime = features.has("shadowed-globals");
  const property = differentialProperty(pool, shape, workarounds, features);
  const coverage: Coverage = { programs: 0, occurrences: new Map(), programsWith: new Map() };
  const mismatches: Mismatch[] = [];
  let done = 0;
  try {
    const indices = Array.from({ length: runs }, (_, index) => index);
    await mapWithConcurrency(
      indices,
      async (index) => {
        if (mismatches.length >= stopAfter) return;
        const programSeed = replay ?? programSeedOf(seed, index);
        const [[program]] = fc.sample(property, { seed: programSeed, numRuns: 1 });
        const { code, coverage: forms } = printProgram(program, { workarounds });
        addCoverage(coverage, forms);
        options.onProgram?.(code);
        const verdict = await checkInSandbox(pool, code, inlineRuntime);
        if (!verdict.same) mismatches.push({ index, programSeed, verdict, source: code });
        done++;
        options.onProgress?.(done, mismatches.length);
      },
      concurrency,
    );
    mismatches.sort((a, b) => a.index - b.index);
    for (const mismatch of mismatches.slice(0, maxShrunk)) mismatch.shrunk = await shrink(property, mismatch, seed, workarounds, features);
  } finally {
    await pool.close();
  }
  return { runs: done, seed, elapsedMs: performance.now() - started, mismatches, coverage };
}

/** Thrown by the property so that fast-check keeps the verdict of the failing program. */
class MismatchError extends Error {
  constructor(readonly verdict: Verdict & { same: false }) {
    super(`native and lowered differ (${verdict.kind})`);
  }
}

type DifferentialProperty = fc.IAsyncPropertyWithHooks<[Program]>;

/** "The program prints the same natively and lowered", judged in the sandbox. */
function differentialProperty(pool: SandboxPool, shape: ProgramShape | undefined, workarounds: ReadonlySet<Workaround>, features: ReadonlySet<Feature>): DifferentialProperty {
  const inlineRuntime = features.has("shadowed-globals");
  return fc.asyncProperty(programArbitrary(shape, features), async (program) => {
    const verdict = await checkInSandbox(pool, printProgram(program, { workarounds }).code, inlineRuntime);
    if (!verdict.same) throw new MismatchError(verdict);
  });
}

async function shrink(
  property: DifferentialProperty,
  mismatch: Mismatch,
  seed: number,
  workarounds: ReadonlySet<Workaround>,
  features: ReadonlySet<Feature>,
): Promise<ShrunkMismatch | undefined> {
  const details = await fc.check(property, { seed: mismatch.programSeed, numRuns: 1 });
  if (!details.failed || details.counterexample === null) return undefined; // did not fail again: reported unshrunk
  const [program] = details.counterexample;
  const error = details.errorInstance;
  const sandboxVerdict = error instanceof MismatchError ? error.verdict : mismatch.verdict;
  const source = printProgram(program, { workarounds }).code;
  const processVerdict = await checkInProcesses(source);
  const originalConfirmed = processVerdict.same ? !(await checkInProcesses(mismatch.source)).same : true;
  const withFeatures = features.size === 0 ? "" : ` --features ${[...features].join(",")}`;
  const header = [
    `Checks: this program logs the same natively and lowered (${sandboxVerdict.same ? "" : sandboxVerdict.kind + " mismatch "}found by \`npm run fuzz -- --seed ${seed}${withFeatures}\`, program #${mismatch.index}, \`--replay=${mismatch.programSeed}\`).`,
  ];
  return {
    program,
    fixture: await formatted(printProgram(program, { header, workarounds }).code),
    sandboxVerdict,
    processVerdict,
    originalConfirmed,
    shrinkSteps: details.numShrinks,
  };
}

async function formatted(code: string): Promise<string> {
  try {
    return await format(code, { parser: "typescript", printWidth: 110 });
  } catch {
    return code;
  }
}

/** The seed program `index` of a campaign is drawn from (program 0: the campaign's seed itself). */
export function programSeedOf(seed: number, index: number): number {
  if (index === 0) return seed;
  let h = Math.imul(seed ^ Math.imul(index, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function addCoverage(coverage: Coverage, forms: Map<string, number>): void {
  coverage.programs++;
  for (const [form, count] of forms) {
    coverage.occurrences.set(form, (coverage.occurrences.get(form) ?? 0) + count);
    coverage.programsWith.set(form, (coverage.programsWith.get(form) ?? 0) + 1);
  }
}
