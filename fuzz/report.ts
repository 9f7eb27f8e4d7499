/**
 * A campaign as text: each mismatch (shrunk program first, ready to paste as a fixture), then the
 * totals and the coverage table.
 *
 *   programs 3000, mismatches 0, seed 1, 142.3 s (21.1 programs/s)
 *   COVERAGE (form: times printed, share of programs that printed it)
 *     await in binary left                        1234   27.1%
 */
import type { CampaignReport, Coverage, Mismatch } from "./campaign.js";

export function describeCampaign(report: CampaignReport): string {
  const parts = report.mismatches.map((mismatch, i) => describeMismatch(mismatch, i + 1));
  parts.push(summaryLine(report), describeCoverage(report.coverage));
  return parts.join("\n\n");
}

export function summaryLine(report: CampaignReport): string {
  const seconds = report.elapsedMs / 1000;
  const rate = report.runs / seconds;
  return `programs ${report.runs}, mismatches ${report.mismatches.length}, seed ${report.seed}, ${seconds.toFixed(1)} s (${rate.toFixed(1)} programs/s)`;
}

export function describeMismatch(mismatch: Mismatch, number: number): string {
  const lines = [`MISMATCH ${number}: program #${mismatch.index} (replay: npm run fuzz -- --replay=${mismatch.programSeed})`];
  if (mismatch.verdict.same) return lines.join("\n");
  const shrunk = mismatch.shrunk;
  if (shrunk === undefined) {
    lines.push(`${mismatch.verdict.kind}: ${mismatch.verdict.description}`, "program (not shrunk):", mismatch.source);
    return lines.join("\n");
  }
  const processes = shrunk.processVerdict;
  lines.push(
    processes.same
      ? `the shrunk program differs only in the sandbox (fresh processes agree); the original ${shrunk.originalConfirmed ? "does" : "does not"} differ in fresh processes`
      : `confirmed in fresh node processes (${processes.kind}), shrunk in ${shrunk.shrinkSteps} steps`,
    processes.same ? indent(describeVerdict(shrunk.sandboxVerdict)) : indent(describeVerdict(processes)),
    "shrunk program:",
    shrunk.fixture.trimEnd(),
  );
  return lines.join("\n");
}

function describeVerdict(verdict: CampaignReport["mismatches"][number]["verdict"]): string {
  return verdict.same ? "same output" : `${verdict.kind}: ${verdict.description}`;
}

export function describeCoverage(coverage: Coverage): string {
  const rows = [...coverage.occurrences.entries()].sort(([a], [b]) => groupOrder(a) - groupOrder(b) || a.localeCompare(b));
  const width = Math.max(...rows.map(([form]) => form.length), 10);
  const lines = rows.map(([form, count]) => {
    const share = (100 * (coverage.programsWith.get(form) ?? 0)) / Math.max(coverage.programs, 1);
    return `  ${form.padEnd(width)} ${String(count).padStart(9)} ${share.toFixed(1).padStart(6)}%`;
  });
  return [`COVERAGE over ${coverage.programs} programs (form: times printed, share of programs that printed it)`, ...lines].join("\n");
}

const GROUPS = ["fn:", "flow:", "stmt:", "expr:", "await in ", "yield in ", "yield* ", "source:", "drive:", "assign:", "optional:", "thenable:", "combinator:"];

function groupOrder(form: string): number {
  const index = GROUPS.findIndex((prefix) => form.startsWith(prefix));
  return index === -1 ? GROUPS.length : index;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => "  " + line)
    .join("\n");
}
