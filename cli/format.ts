import { format } from "prettier";

export type FormatOutcome = { ok: true; code: string } | { ok: false; code: string; reason: string };

/**
 * Formats lowered TypeScript with prettier. `lower()` is synchronous and prettier 3 is not, so
 * the CLI formats even when it asked `lower()` to (`format: true`); prettier is idempotent.
 * Code prettier cannot parse comes back as it was, with the reason.
 */
export async function formatTypeScript(code: string): Promise<FormatOutcome> {
  try {
    return { ok: true, code: await format(code, { parser: "typescript" }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, code, reason };
  }
}
