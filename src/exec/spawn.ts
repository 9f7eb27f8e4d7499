import { spawn } from "node:child_process";
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Program } from "./program.js";
import { hideRunDirectory, readUncaughtError, uncaughtErrorRecorderSource, type UncaughtError } from "./uncaught-error.js";

export interface RunOptions {
  /** Arguments for the program (`process.argv.slice(2)`). */
  args?: readonly string[];
  /** Text written to the program's stdin; by default its stdin is empty. */
  stdin?: string;
  /** The program is killed (SIGKILL) after this long. Default 10 000 ms. */
  timeoutMs?: number;
}

/** What a captured run did. Paths of the temporary run directory read `<run>` in every text. */
export interface RunResult {
  stdout: string;
  stderr: string;
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the run hit `timeoutMs` and was killed. */
  timedOut: boolean;
  /** The error that reached the top level, if one did (see `UncaughtError`). */
  uncaughtError: UncaughtError | null;
}

export interface ExitStatus {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs `program` in a fresh `node` process with its output captured. The process gets its own
 * temporary directory (removed afterwards); its working directory is ours.
 */
export async function runProgram(program: Program, options: RunOptions = {}): Promise<RunResult> {
  return withRunDirectory(async (directory) => {
    const mainPath = await writeProgram(program, directory);
    const errorLogPath = join(directory, "uncaught-errors.jsonl");
    const recorderPath = join(directory, "record-uncaught-errors.cjs");
    await writeFile(recorderPath, uncaughtErrorRecorderSource(errorLogPath));

    const child = spawn(process.execPath, ["--require", recorderPath, mainPath, ...(options.args ?? [])], {
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (options.stdin !== undefined && child.stdin !== null) {
      child.stdin.on("error", () => {}); // the program may exit without reading its input
      child.stdin.end(options.stdin);
    }
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      const status = await exited(child);
      return {
        stdout: hideRunDirectory(await stdout, directory),
        stderr: hideRunDirectory(await stderr, directory),
        ...status,
        timedOut,
        uncaughtError: (await readUncaughtError(errorLogPath, directory)) ?? null,
      };
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * Runs `program` in a fresh `node` process attached to our stdin, stdout and stderr, with no
 * time limit: what `unawait run` does. Ctrl-C reaches the program directly (it is in our process
 * group); SIGTERM and SIGHUP sent to us are forwarded to it.
 */
export async function runProgramAttached(program: Program, args: readonly string[] = []): Promise<ExitStatus> {
  return withRunDirectory(async (directory) => {
    const mainPath = await writeProgram(program, directory);
    const child = spawn(process.execPath, [mainPath, ...args], { stdio: "inherit" });
    const ignore = () => {};
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", ignore);
    process.on("SIGTERM", forward);
    process.on("SIGHUP", forward);
    try {
      return await exited(child);
    } finally {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
    }
  });
}

async function withRunDirectory<T>(use: (directory: string) => Promise<T>): Promise<T> {
  const directory = await realpath(await mkdtemp(join(tmpdir(), "unawait-run-")));
  try {
    return await use(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Writes the program as `<name>.mjs` or `<name>.cjs`, named after its source file. */
async function writeProgram(program: Program, directory: string): Promise<string> {
  const stem = basename(program.fileName).replace(/\.[^.]*$/, "").replace(/[^\w.-]/g, "") || "main";
  const path = join(directory, `${stem}.${program.kind === "module" ? "mjs" : "cjs"}`);
  await writeFile(path, program.code);
  return path;
}

function collect(stream: NodeJS.ReadableStream | null): Promise<string> {
  if (stream === null) return Promise.resolve("");
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}

function exited(child: ReturnType<typeof spawn>): Promise<ExitStatus> {
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => resolve({ exitCode, signal }));
  });
}
