import { randomBytes } from "node:crypto";
import { chmod, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { describeFileError } from "./input.js";
import { UsageError } from "./usage-error.js";

/** Writes the command's output to stdout, or atomically to `out` ("-" also means stdout). */
export async function writeOutput(text: string, out: string | undefined): Promise<void> {
  const withNewline = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  if (out === undefined || out === "-") {
    process.stdout.write(withNewline);
    return;
  }
  try {
    await writeFileAtomically(out, withNewline);
  } catch (error) {
    throw new UsageError(`cannot write ${out}: ${describeFileError(error)}`);
  }
}

/**
 * Writes a temporary file next to `path` and renames it over `path`, so that a reader (or a
 * crash) never sees a half-written file. An existing file keeps its permissions.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, text, { flag: "wx" });
    const mode = await existingMode(path);
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}
