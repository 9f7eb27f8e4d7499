import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";
import { UsageError } from "./usage-error.js";

/** A source file as read: its text, and the name diagnostics use for it. */
export interface SourceInput {
  text: string;
  fileName: string;
}

/** The name diagnostics use for a source read from stdin. */
export const STDIN_FILE_NAME = "<stdin>";

/** Reads FILE, or stdin for "-". An unreadable file is a usage error, worded for a person. */
export async function readSource(file: string): Promise<SourceInput> {
  if (file === "-") return { text: await text(process.stdin), fileName: STDIN_FILE_NAME };
  try {
    return { text: await readFile(file, "utf8"), fileName: file };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${describeFileError(error)}`);
  }
}

/** "no such file", "it is a directory"... instead of `ENOENT: no such file or directory, open 'x'`. */
export function describeFileError(error: unknown): string {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
