/** Generated JavaScript maps back to the source lines it came from (so a debugger steps the original). */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { lower } from "../src/index.js";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The original line (0-based) of the first mapped segment of each generated line. */
function originalLines(mappings: string): Array<number | undefined> {
  let sourceLine = 0;
  return mappings.split(";").map((line) => {
    let first: number | undefined;
    for (const segment of line.split(",").filter(Boolean)) {
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      if (values.length >= 4) {
        sourceLine += values[2]!;
        first ??= sourceLine;
      }
    }
    return first;
  });
}

it("maps the statements of a state back to their source lines, also after the pasted runtime", () => {
  const source = readFileSync(new URL("../fixtures/basics/example-total.ts", import.meta.url), "utf8");
  for (const runtime of ["import", "inline"] as const) {
    const { code, map } = lower(source, { fileName: "example-total.ts", target: "js", runtime });
    expect(map?.sources).toEqual(["example-total.ts"]);
    const lines = code.split("\n");
    const origin = originalLines(map!.mappings);
    const at = (text: string) => origin[lines.findIndex((l) => l.includes(text))]! + 1;
    expect(at("this.sum += item.price")).toBe(14);
    expect(at('console.log("load", this.id)')).toBe(5);
    expect(at('console.log("sync end")')).toBe(21);
  }
});

it("keeps the mapping right when a shebang stays first and when a script's runtime is pasted into its own block", () => {
  const source = `#!/usr/bin/env node\n"use strict";\nfunction helper() {\n  return 1;\n}\nasync function f() {\n  await null;\n  console.log("after the await", helper());\n}\nf();\n`;
  for (const runtime of ["import", "inline"] as const) {
    const { code, map } = lower(source, { fileName: "tool.js", target: "js", runtime });
    const lines = code.split("\n");
    expect(lines[0]).toBe("#!/usr/bin/env node");
    const origin = originalLines(map!.mappings);
    const at = (text: string) => origin[lines.findIndex((l) => l.includes(text))]! + 1;
    expect(at('console.log("after the await"')).toBe(8);
    expect(at("return 1;")).toBe(4);
    expect(at("f();")).toBe(10);
  }
});
