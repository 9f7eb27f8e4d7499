/**
 * Generator features that are off by default: each adds forms of the sloppy scripts real programs
 * are made of (issue 13), switched on by name (`npm run fuzz -- --features sloppy-names,this-callees`,
 * or `features` in the campaign's options). With none on, the programs drawn from a seed are
 * exactly those drawn before features existed: every feature adds its arbitraries and record fields
 * only when it is on.
 * - `this-callees`: saved functions that observe their `this`, called across a suspension;
 * - `sloppy-names`: sloppy-only identifiers (`arguments`, `eval`, `let`, `static`, `yield`, …) as
 *   parameters and locals; a function using them is never a class method (class bodies are strict);
 * - `shadowed-globals`: `var Symbol`, `var Promise`, `var undefined` in a function, a patched
 *   `Array.prototype[Symbol.iterator]` and `Promise.prototype.then`;
 * - `parameter-defaults`: defaults reading earlier and later parameters (TDZ), closures over
 *   parameters, and body `var`s named after them;
 * - `loop-head-patterns`: `for`, `for-in`, `for-of` and `for await` heads with nested patterns,
 *   defaults that suspend, computed keys, rest elements and member-expression targets.
 */
export type Feature = "this-callees" | "sloppy-names" | "shadowed-globals" | "parameter-defaults" | "loop-head-patterns";

export const FEATURES: readonly Feature[] = ["this-callees", "sloppy-names", "shadowed-globals", "parameter-defaults", "loop-head-patterns"];

/** `"a,b"` (or `"all"`) as a feature set; an unknown name is returned as the error. */
export function parseFeatures(list: readonly string[]): Set<Feature> | { unknown: string } {
  const features = new Set<Feature>();
  for (const name of list.flatMap((item) => item.split(",")).map((item) => item.trim()).filter((item) => item !== "")) {
    if (name === "all") FEATURES.forEach((feature) => features.add(feature));
    else if ((FEATURES as readonly string[]).includes(name)) features.add(name as Feature);
    else return { unknown: name };
  }
  return features;
}
