// Async-generator pipeline: 1e5 items through `for await`, from a source async generator through
// a map stage and a filter stage (each an async generator with `for await` over the one before),
// with an `await` in the map stage, so every item crosses three async generators.
async function* source(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function* map(items: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const x of items) yield (await x) * 3 + 1;
}

async function* filter(items: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const x of items) if (x % 2 === 0) yield x;
}

export async function main(): Promise<number> {
  let sum = 0;
  for await (const x of filter(map(source(100_000)))) sum = (sum + x) % 1_000_000_007;
  return sum;
}
