import { createTwoFilesPatch } from "diff";
import type { RunComparison, RunDifference } from "./compare.js";

export interface SideNames {
  a: string;
  b: string;
}

/**
 * A comparison as a reader wants it: "same output", or each difference in turn — a unified diff
 * for stdout, one line per side for the rest.
 *
 *   stdout differs:
 *   --- native
 *   +++ lowered
 *   @@ -1,2 +1,2 @@
 *   -load a
 *   +sync end
 *   ...
 *   exit differs: native exit code 0, lowered exit code 1
 */
export function describeComparison(comparison: RunComparison, names: SideNames = { a: "native", b: "lowered" }): string {
  if (comparison.same) return "same output";
  return comparison.differences.map((difference) => describeDifference(difference, names)).join("\n");
}

function describeDifference(difference: RunDifference, names: SideNames): string {
  switch (difference.aspect) {
    case "stdout":
      return `stdout differs:\n${diffLines(difference.a, difference.b, names)}`;
    case "exit":
    case "timeout":
      return `${difference.aspect} differs: ${names.a} ${difference.a}, ${names.b} ${difference.b}`;
    case "uncaughtError":
      return `uncaught error differs:\n  ${names.a}: ${difference.a}\n  ${names.b}: ${difference.b}`;
    default: {
      const unknown: never = difference.aspect;
      return unknown;
    }
  }
}

/** A unified diff without the `===` banner; a missing final newline is marked as diff marks it. */
function diffLines(a: string, b: string, names: SideNames): string {
  const patch = createTwoFilesPatch(names.a, names.b, a, b, undefined, undefined, { context: 3 });
  return patch.replace(/^=+\n/, "").trimEnd();
}
