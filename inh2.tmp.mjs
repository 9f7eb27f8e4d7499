import { lower } from "./dist/src/index.js";
import fs from "node:fs";
const r = lower(fs.readFileSync("/tmp/inh/t1.js","utf8"), {fileName: "t1.js"});
console.log(r.diagnostics, r.code.split("\n").filter(l => / in /.test(l)).join("\n"));
