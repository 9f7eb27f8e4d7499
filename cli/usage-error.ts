/** Exit codes of the CLI (sysexits' EX_SOFTWARE for our own bugs). */
export const ExitCode = {
  ok: 0,
  /** Error diagnostics, or `check` found a difference. */
  failed: 1,
  /** The command line or an input/output file was wrong. */
  usage: 2,
  internal: 70,
} as const;

/**
 * A mistake in how unawait was invoked: printed as one plain sentence plus a pointer to
 * `--help`, and exit code 2. Never an internal error, never a stack trace.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
