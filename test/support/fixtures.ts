/** The fixture corpus: every `fixtures/<topic>/<name>.ts`, and the list of known gaps. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const fixturesDir = join(root, "fixtures");

export interface Fixture {
  /** `topic/name.ts`, relative to fixtures/. */
  id: string;
  path: string;
  topic: string;
  name: string;
  source: string;
  /** Where the readable snapshot of the lowered output lives. */
  snapshotPath: string;
}

/**
 * Topics whose programs are not compared with native: they run in future mode, where an async
 * function is lazy by design. Their oracle is the output kept next to each program: what its seed
 * text describes (`seeds/`), or what Rust's model says (`future/`); see future-mode.test.ts.
 */
export const FUTURE_MODE_TOPICS: readonly string[] = ["seeds", "future"];

export function listFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const topic of readdirSync(fixturesDir, { withFileTypes: true })) {
    if (!topic.isDirectory() || FUTURE_MODE_TOPICS.includes(topic.name)) continue;
    for (const file of readdirSync(join(fixturesDir, topic.name))) {
      if (!file.endsWith(".ts")) continue;
      const path = join(fixturesDir, topic.name, file);
      out.push({
        id: relative(fixturesDir, path),
        path,
        topic: topic.name,
        name: file.slice(0, -3),
        source: readFileSync(path, "utf8"),
        snapshotPath: join(fixturesDir, topic.name, "__lowered__", file),
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Known differences from native behaviour, each with its reason (fixtures/known-gaps.json). A listed
 * fixture's test asserts that it *still* differs, so fixing a gap fails the suite until the entry
 * is removed: the list can never go stale silently.
 */
export function knownGaps(): Record<string, string> {
  return JSON.parse(readFileSync(join(fixturesDir, "known-gaps.json"), "utf8")) as Record<string, string>;
}
