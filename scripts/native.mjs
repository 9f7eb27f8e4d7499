#!/usr/bin/env node
// Runs a fixture natively: strips types with TypeScript (async stays native: target ES2022)
// and runs it in a fresh node process. Usage: node scripts/native.mjs fixtures/basics/x.ts
import ts from "typescript";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const file = process.argv[2];
const source = readFileSync(file, "utf8");
const isModule = /^\s*(import|export)\s/m.test(source);
const out = ts.transpileModule(source, {
  fileName: file,
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, alwaysStrict: false, sourceMap: false },
}).outputText;
const dir = mkdtempSync(join(tmpdir(), "unawait-native-"));
const js = join(dir, isModule ? "main.mjs" : "main.cjs");
writeFileSync(js, out);
const r = spawnSync(process.execPath, [js], { encoding: "utf8", timeout: 10000 });
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
process.exit(r.status ?? 1);
