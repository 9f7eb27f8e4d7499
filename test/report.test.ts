import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/api.js";
import { formatCodeFrame, formatDiagnostic, hasErrors } from "../src/report/index.js";

const source = `const o = { x: 1 };\nasync function f() {\n  with (o) { await x; }\n}\n`;

function diagnostic(overrides: Partial<Diagnostic> = {}): Diagnostic {
  const start = source.indexOf("with");
  return {
    severity: "error",
    code: "UA1001",
    message: "`with` cannot be used inside a lowered async function.",
    fileName: "with.ts",
    line: 3,
    column: 3,
    start,
    length: "with".length,
    ...overrides,
  };
}

describe("formatDiagnostic", () => {
  it("prints file:line:col, severity, code and message, then the line above, the line and an underline", () => {
    expect(formatDiagnostic(diagnostic(), source)).toBe(
      [
        "with.ts:3:3: error UA1001: `with` cannot be used inside a lowered async function.",
        "  2 | async function f() {",
        "> 3 |   with (o) { await x; }",
        "    |   ^~~~",
      ].join("\n"),
    );
  });

  it("prints warnings the same way", () => {
    expect(formatDiagnostic(diagnostic({ severity: "warning", code: "UA2001" }), source)).toMatch(/^with\.ts:3:3: warning UA2001: /);
  });

  it("leaves the frame out when the span is not in the text", () => {
    expect(formatDiagnostic(diagnostic({ start: 10_000 }), source)).toBe(
      "with.ts:3:3: error UA1001: `with` cannot be used inside a lowered async function.",
    );
  });
});

describe("formatCodeFrame", () => {
  it("has no line above for line 1, and a single caret for an empty span", () => {
    expect(formatCodeFrame("let x = ;\n", 8, 0)).toBe("> 1 | let x = ;\n    |         ^");
  });

  it("underlines a span that crosses lines to the end of its first line", () => {
    expect(formatCodeFrame("a\nfoo(1,\n  2)\n", 2, 10)).toBe("  1 | a\n> 2 | foo(1,\n    | ^~~~~~");
  });

  it("keeps tabs so the underline lines up, and widens the gutter for long line numbers", () => {
    const text = `${"\n".repeat(9)}\tx = await y;\r\n`;
    expect(formatCodeFrame(text, text.indexOf("await"), 5)).toBe("   9 |\n> 10 | \tx = await y;\n     | \t    ^~~~~");
  });
});

describe("hasErrors", () => {
  it("is true for errors only", () => {
    expect(hasErrors([diagnostic({ severity: "warning" })])).toBe(false);
    expect(hasErrors([diagnostic({ severity: "warning" }), diagnostic()])).toBe(true);
  });
});
