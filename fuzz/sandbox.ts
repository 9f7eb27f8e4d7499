/**
 * A pool of sandbox workers (sandbox-worker.mjs): each compiles a program natively and lowered and
 * runs both sides in fresh `node:vm` contexts. A worker that does not answer in time (a program
 * that never ends) is terminated and replaced, and the job answers `timedOut`. A worker is also
 * replaced after `recycleAfter` jobs: the contexts and compiler caches of thousands of programs
 * would otherwise grow its heap past a gigabyte.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { RunResult } from "../src/exec/index.js";

/** What a sandbox worker answers for one program. */
export type SandboxReply =
  | { native: RunResult; lowered: RunResult }
  | { native: RunResult; lowered: { refused: string } }
  | { native: RunResult; lowered: { crashed: string } }
  | { failed: string }
  | { timedOut: true };

interface Job {
  source: string;
  fileName: string;
  /** Lower with the runtime pasted into the program (`runtime: "inline"`), as fresh processes do. */
  inlineRuntime: boolean;
  resolve: (reply: SandboxReply) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Jobs the current worker has answered. */
  answered: number;
}

export interface SandboxOptions {
  /** Worker threads, at most this many programs at once. Default 2 (the CI machine's cores). */
  size?: number;
  /** A job not answered after this long counts as a program that does not end. Default 10 s. */
  timeoutMs?: number;
  /** Jobs a worker runs before a fresh one takes its place. Default 400. */
  recycleAfter?: number;
}

export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private readonly timeoutMs: number;
  private readonly recycleAfter: number;
  private closed = false;

  constructor(options: SandboxOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.recycleAfter = options.recycleAfter ?? 400;
    for (let i = 0; i < (options.size ?? 2); i++) this.slots.push(this.startSlot());
  }

  /** Compiles and runs `source` both ways in the next free worker. `inlineRuntime`: paste the
   *  runtime into the lowered program instead of answering its `require` (slower, but the runtime
   *  then shares the program's scope, as in a fresh process: what a program that shadows `Symbol` or
   *  `Promise` at its top needs to be judged right). */
  run(source: string, fileName = "fuzz.ts", inlineRuntime = false): Promise<SandboxReply> {
    if (this.closed) return Promise.reject(new Error("sandbox pool is closed"));
    return new Promise((resolve) => {
      this.waiting.push({ source, fileName, inlineRuntime, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private startSlot(): Slot {
    const slot: Slot = { worker: undefined as unknown as Worker, job: null, timer: null, answered: 0 };
    this.startWorker(slot);
    return slot;
  }

  /** Gives the slot a fresh worker; answers from a worker the slot no longer has are ignored. */
  private startWorker(slot: Slot): void {
    const { workerScript, dist } = sandboxPaths();
    const worker = new Worker(workerScript, { workerData: { dist } });
    slot.worker = worker;
    slot.answered = 0;
    worker.on("message", (reply: SandboxReply & { id?: number }) => {
      if (slot.worker !== worker) return;
      const { id: _id, ...rest } = reply;
      this.finish(slot, rest as SandboxReply);
    });
    worker.on("error", (error) => {
      if (slot.worker === worker) this.finish(slot, { failed: String(error.stack ?? error) }, true);
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null || this.waiting.length === 0) continue;
      const job = this.waiting.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.finish(slot, { timedOut: true }, true), this.timeoutMs);
      slot.worker.postMessage({ id: 0, source: job.source, fileName: job.fileName, inlineRuntime: job.inlineRuntime });
    }
  }

  /** Answers the slot's job; a worker that hung, died or ran its share of jobs is replaced. */
  private finish(slot: Slot, reply: SandboxReply, replace = false): void {
    const job = slot.job;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.job = null;
    slot.timer = null;
    slot.answered++;
    if ((replace || slot.answered >= this.recycleAfter) && !this.closed) {
      void slot.worker.terminate();
      this.startWorker(slot);
    }
    job?.resolve(reply);
    this.dispatch();
  }
}

/** The worker script and the compiled compiler it loads (dist/), found from the repository root. */
function sandboxPaths(): { workerScript: string; dist: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "unawait") break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the unawait repository root above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  const dist = join(dir, "dist");
  if (!existsSync(join(dist, "src", "index.js"))) throw new Error(`${dist} has no compiler: run \`npm run build\` first`);
  return { workerScript: join(dir, "fuzz", "sandbox-worker.mjs"), dist };
}
