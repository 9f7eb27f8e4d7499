/**
 * The oracle: every fixture runs natively and lowered, each in a fresh node process, and the full
 * ordered output must be the same (stdout, exit code, uncaught error). Each fixture also keeps a
 * readable snapshot of its lowered TypeScript in `fixtures/<topic>/__lowered__/<name>.ts`.
 */
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { lower } from "../src/index.js";
import { compareRuns, describeComparison, runLowered, runNative } from "../src/exec/index.js";
import { knownGaps, listFixtures } from "./support/fixtures.js";

const fixtures = listFixtures();
const gaps = knownGaps();

describe.concurrent("fixtures: native and lowered agree", () => {
  for (const fx of fixtures) {
    const gap = gaps[fx.id];
    it(gap ? `${fx.id} (known gap: ${gap})` : fx.id, async () => {
      const [native, lowered] = await Promise.all([runNative(fx.source, fx.id), runLowered(fx.source, fx.id)]);
      const verdict = compareRuns(native, lowered);
      if (gap) {
        expect(verdict.same, `${fx.id} now agrees with native: remove it from fixtures/known-gaps.json`).toBe(false);
      } else {
        expect(verdict.same, describeComparison(verdict)).toBe(true);
      }
    });
  }
});

describe.concurrent("fixtures: lowered output snapshots", () => {
  for (const fx of fixtures) {
    it(fx.id, async () => {
      const result = lower(fx.source, { fileName: `fixtures/${fx.id}`, target: "ts" });
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (gaps[fx.id] && errors.length > 0) {
        // A known gap that is refused outright: its snapshot records the refusal.
        const refusal = errors.map((d) => `// ${d.fileName}:${d.line}:${d.column}: ${d.code}: ${d.message}\n`).join("");
        await expect(`// unawait refuses this fixture (known gap: ${gaps[fx.id]}):\n${refusal}`).toMatchFileSnapshot(fx.snapshotPath);
        return;
      }
      expect(errors).toEqual([]);
      // Prettier's parser refuses what only sloppy scripts allow (octal escapes, fixture
      // hygiene/strict-octal): such a snapshot keeps the printer's own layout.
      const pretty = await format(result.code, { parser: "typescript", printWidth: 110 }).catch((e: unknown) => {
        if (/Octal/.test(String(e))) return result.code;
        throw e;
      });
      await expect(pretty).toMatchFileSnapshot(fx.snapshotPath);
    });
  }
});

it("has at least 150 fixtures, most of them agreeing with native", () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(150);
  for (const id of Object.keys(gaps)) expect(fixtures.some((f) => f.id === id), `known gap ${id} has no fixture`).toBe(true);
});
