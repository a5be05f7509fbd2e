// Build-time only (run by `python -m simexit.build`, never shipped): byte-compiles Python archives
// with the pinned Pyodide itself, so the bytecode is exactly what the browser's interpreter loads.
// Usage: node compile.mjs BYTECODE_PY SRC DEST PREFIX [SRC DEST PREFIX ...]  (absolute host paths)
import { readFileSync } from "node:fs";
import { loadPyodide } from "./node_modules/pyodide/pyodide.mjs";

const [script, ...jobs] = process.argv.slice(2);
const pyodide = await loadPyodide();
pyodide.FS.mkdir("/host");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: "/" }, "/host");
const onHost = (path, i) => (i % 3 === 2 ? path : `/host${path}`); // PREFIX is a browser path
pyodide.globals.set("args", pyodide.toPy(jobs.map(onHost)));
pyodide.runPython(readFileSync(script, "utf8") + "\nmain(list(args))", { filename: script });
