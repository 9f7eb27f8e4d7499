/**
 * async recursion: async fib(25) — 242,785 calls of an async function, each one awaiting
 * its two children (a call tree of promises), plus a recursive async walk of a complete
 * binary tree of depth 16 (131,071 nodes) that awaits each child and sums the leaves.
 * Measures the cost of creating, starting and finishing many short-lived machines:
 * the wrapper, the machine allocation, the first poll, and the promise each call returns.
 */
async function fib(n: number): Promise<number> {
  if (n < 2) return n;
  const a = await fib(n - 1);
  const b = await fib(n - 2);
  return a + b;
}

interface Tree {
  value: number;
  left: Tree | null;
  right: Tree | null;
}

function build(depth: number, seed: number): Tree {
  if (depth === 0) return { value: seed % 97, left: null, right: null };
  return { value: seed % 89, left: build(depth - 1, seed * 2 + 1), right: build(depth - 1, seed * 2 + 2) };
}

const tree = build(16, 1);

async function walk(node: Tree | null): Promise<number> {
  if (node === null) return 0;
  let total = node.value;
  total += await walk(node.left);
  total += await walk(node.right);
  return total;
}

export async function main(): Promise<number> {
  const f = await fib(25);
  const w = await walk(tree);
  return f * 1000 + w;
}
