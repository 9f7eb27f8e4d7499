// TEMPORARY STUB: replaced by the real pipeline. Returns the input untouched.
import type { LowerOptions, LowerResult } from "./api.js";
export function lower(source: string, _options: LowerOptions = {}): LowerResult {
  return { code: source, machines: [], diagnostics: [] };
}
