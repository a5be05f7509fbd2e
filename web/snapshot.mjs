// Build-time only (run by `python -m simexit.build`, never shipped): boots the built site's Pyodide
// under Node as the page would (its wheels, its "files", its engine.py), then saves the interpreter's
// memory with the imports and the catalog done. runtime/pyodide/restore.mjs puts it back in the browser
// instead of booting and importing again. Before it exits, it restores its own snapshot through
// restore.mjs and checks that the engine answers exactly as the interpreter it was taken from.
//
// Usage: node snapshot.mjs SITE_DIR  (writes SITE_DIR/runtime/pyodide/snapshot.json and the files it names)
//
// What a snapshot needs beyond Pyodide's makeMemorySnapshot, recorded in snapshot.json:
// - the pure-Python wheels stay zip files on sys.path (zipimport), so after a restore every module a
//   later import asks for is still there once the same wheel is written back at the same path;
// - pydantic-core's compiled module lives in the memory too: where its data sits (memoryBase, inside
//   one malloc'd block) and which function-table slots it fills (tableBase) must be the same after a
//   restore, so restore.mjs links it again at exactly those places.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync, inflateRawSync } from "node:zlib";

const WHEEL_DIR = "/lib/simexit-wheels"; // where the pure wheels sit on sys.path, in both worlds
// A browser's start may add functions to the table that Node's does not (Chromium: CPython's wasm call
// trampoline): free slots before the library's keep its slots free there too.
const TABLE_SLACK = 8;
const site = process.argv[2];
const runtime = join(site, "runtime", "pyodide");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const config = JSON.parse(readFileSync(join(site, "pyscript.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(runtime, "pyodide-lock.json"), "utf8"));
const engineSource = readFileSync(join(site, "engine.py"), "utf8");

/** The files of a zip archive (a wheel), read here so they never pass through Python's memory. */
function unzip(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip archive");
  const files = new Map();
  for (let i = 0, at = view.getUint32(end + 16, true); i < view.getUint16(end + 10, true); i++) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    if (!name.endsWith("/")) files.set(name, method === 8 ? inflateRawSync(data) : method === 0 ? data : null);
    if (files.get(name) === null) throw new Error(`${name}: unknown compression ${method}`);
    at += 46 + skip;
  }
  return files;
}

// Every dynamic library instantiated while the engine starts: where the linker placed it.
const placed = [];
const RealInstance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(RealInstance, {
  construct(target, args) {
    const env = args[1]?.env;
    if (env && typeof env.__memory_base === "number") {
      placed.push({ memoryBase: env.__memory_base, tableBase: env.__table_base });
    }
    return Reflect.construct(target, args);
  },
});

const { loadPyodide } = await import(pathToFileURL(join(runtime, "pyodide.mjs")).href);
const restore = await import(pathToFileURL(join(runtime, "restore.mjs")).href); // checked below
const pyodide = await loadPyodide({ indexURL: runtime + "/", _makeSnapshot: true });
const Module = pyodide._module;
Module.wasmTable.grow(TABLE_SLACK);
const tableAtStart = Module.wasmTable.length;
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
const stdlibPath = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('.zip'))");

const wheels = {};
const zipped = [];
let native = null;
pyodide.FS.mkdirTree(WHEEL_DIR);
for (const entry of Object.values(lock.packages)) {
  const bytes = readFileSync(join(runtime, entry.file_name));
  if (sha256(bytes) !== entry.sha256) throw new Error(`${entry.file_name}: sha256 differs from pyodide-lock.json`);
  wheels[entry.file_name] = entry.sha256;
  const files = unzip(bytes);
  if (![...files.keys()].some((name) => name.endsWith(".so"))) {
    zipped.push(`${WHEEL_DIR}/${entry.file_name}`);
    pyodide.FS.writeFile(zipped.at(-1), bytes);
    continue;
  }
  if (native) throw new Error("more than one wheel with compiled modules: restore.mjs links only one");
  native = entry.file_name;
  for (const [name, data] of files) {
    const path = `${sitePackages}/${name}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, data);
  }
}
if (!native) throw new Error("no wheel with a compiled module: nothing for restore.mjs to link");
pyodide.globals.set("zipped", pyodide.toPy(zipped));
pyodide.runPython("import sys; sys.path.extend(zipped); del zipped");
for (const [from, to] of Object.entries(config.files)) pyodide.FS.writeFile(to, readFileSync(join(site, from)));
pyodide.runPython(engineSource, { filename: "engine.py" });

// A first answer and the warm-up the page asks for once idle, so that what they import and cache is
// in the snapshot too; the throwaway session is closed again.
const today = new Date().toISOString().slice(0, 10);
const ask = (python, client, message) =>
  python.globals.get("handle")(client, JSON.stringify({ today, stored: null, ...message }));
ask(pyodide, "snapshot", { type: "start" });
ask(pyodide, "snapshot", { type: "warm" });
pyodide.globals.get("close")("snapshot");
pyodide.runPython("import gc; gc.collect()");

const libs = Object.entries(Module.LDSO.loadedLibsByHandle).filter(([, dso]) => dso.name !== "__main__");
if (libs.length !== 1 || placed.length !== 1) {
  throw new Error(`expected one dynamic library, found ${libs.length} (${placed.length} instantiated)`);
}
const [[handle, dso]] = libs;
const soBytes = pyodide.FS.readFile(dso.name);
const { memorySize, memoryAlign, tableSize } = Module.getDylinkMetadata(soBytes);
const [{ memoryBase, tableBase }] = placed;
if (tableBase !== tableAtStart) throw new Error("something took table slots before the library");
const init = Object.keys(dso.exports).find((name) => name.startsWith("PyInit_"));
// The block calloc gave the library (its data is aligned inside it): dlmalloc's header sits below.
const words = Module.HEAPU32;
let chunk = 0;
for (let p = memoryBase & ~7; p > memoryBase - 2 ** memoryAlign - 16; p -= 8) {
  const head = words[(p - 4) >> 2];
  if (head & 2 && p + (head & ~7) - 4 >= memoryBase + memorySize) {
    chunk = p;
    break;
  }
}
if (!chunk) throw new Error("could not find the library's memory block");

const image = pyodide.makeMemorySnapshot();
let end = image.length; // trailing zeros are what a fresh memory holds anyway
while (end > 0 && image[end - 1] === 0) end--;
const snapshot = gzipSync(image.subarray(0, end), { level: 9 });
writeFileSync(join(runtime, "snapshot.bin.gz"), snapshot);
writeFileSync(join(runtime, "native.so.gz"), gzipSync(soBytes, { level: 9 }));
const meta = {
  format: 1,
  snapshot: { file: "snapshot.bin.gz", bytes: end },
  wheels, // file name -> sha256, as pyodide-lock.json has them
  zipped,
  site: { "engine.py": sha256(engineSource) }, // paths from the site's root
  stdlib: { path: stdlibPath, fingerprint: restore.zipFingerprint(pyodide.FS.readFile(stdlibPath)) },
  native: {
    file: "native.so.gz",
    sha256: sha256(soBytes),
    path: dso.name,
    handle: Number(handle),
    init,
    memoryBase,
    chunk,
    tableBase,
  },
  tableEnd: Module.wasmTable.length,
};
for (const from of Object.keys(config.files)) meta.site[from] = sha256(readFileSync(join(site, from)));
writeFileSync(join(runtime, "snapshot.json"), JSON.stringify(meta, null, 1) + "\n");

// The check: restore through restore.mjs (reading the site's files as a browser would fetch them),
// run engine.py as the page does, and compare the answers with the interpreter the snapshot came from.
globalThis.fetch = async (url) => {
  try {
    return new Response(readFileSync(fileURLToPath(url)));
  } catch {
    return new Response("", { status: 404 });
  }
};
const notes = [];
console.info = (...args) => notes.push(args.join(" "));
const restored = await restore.loadPyodide({ indexURL: runtime + "/", packages: config.packages });
if (notes.length) throw new Error(`the snapshot did not restore: ${notes.join("; ")}`);
for (const [from, to] of Object.entries(config.files)) restored.FS.writeFile(to, readFileSync(join(site, from)));
restored.runPython(engineSource, { filename: "engine.py" });
for (const message of [
  { type: "start" },
  { type: "change", form: { carrier: "att", lang: "zh", plan: "prepaid", keep_number: "no" } },
  { type: "warm" },
]) {
  // (the time a checklist took to render differs from run to run)
  const answer = (python) => JSON.stringify(JSON.parse(ask(python, "check", message)), (k, v) => (k === "ms" ? 0 : v));
  if (answer(restored) !== answer(pyodide)) {
    throw new Error(`the restored engine answers ${message.type} differently`);
  }
}
console.log(
  `snapshot: ${(end / 1e6).toFixed(1)} MB of memory, ${(snapshot.length / 1e6).toFixed(1)} MB gzipped;` +
    ` ${dso.name.split("/").pop()} at ${memoryBase}, table ${tableBase}+${tableSize}; restores and answers alike`,
);
