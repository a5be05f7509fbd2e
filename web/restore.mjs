// Pyodide's loadPyodide, started from the memory snapshot the build took after the engine's imports
// (web/snapshot.mjs): the interpreter comes back with pydantic, simexit and the catalog already loaded,
// instead of booting and importing them again. The build copies this file next to pyodide.mjs, and the
// page's PyScript worker (as its interpreter module) and the extension's sandbox load it in place of
// pyodide.mjs. Whenever the snapshot is missing, does not match the files beside it (a runtime, wheel,
// engine or data change), or fails to restore, the normal boot runs instead, quietly: the person sees
// the same page either way, a moment later.
import { loadPyodide as boot, version } from "./pyodide.mjs";

export { version };

// Every file the snapshot's record names is one of ours, beside this module or on the page's site.
const here = (name, base = import.meta.url) => {
  const url = new URL(name, base);
  if (url.origin !== new URL(import.meta.url).origin) throw new Error(`${name} is not one of the site's files`);
  return url;
};

export async function loadPyodide(options = {}) {
  try {
    return await restore(options);
  } catch (error) {
    console.info("simexit: started without the memory snapshot:", String(error?.message ?? error?.name ?? error));
    return boot(options);
  }
}

async function fetched(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// Gzipped at build time; a server that already sent it decoded (Content-Encoding) is fine too.
// (Un-gzipping in a worker of its own looked a little sooner in Chromium but hung now and then in Firefox.)
async function unzipped(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A zip archive's fingerprint: FNV-1a over its central directory, which holds each member's name,
 * size, CRC-32 and offset (what zipimport caches, so what a snapshot's imports rely on). */
export function zipFingerprint(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return "not a zip";
  let hash = 0x811c9dc5;
  for (let i = view.getUint32(end + 16, true); i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function checked(url, expected) {
  const bytes = await fetched(url);
  if ((await sha256(bytes)) !== expected) throw new Error(`${url} is not the file the snapshot was made with`);
  return bytes;
}

async function restore(options) {
  const factory = import("./pyodide.asm.mjs"); // the normal boot imports the same, should it come to that
  const meta = JSON.parse(new TextDecoder().decode(await fetched(here("snapshot.json"))));
  if (meta.format !== 1) throw new Error(`unknown snapshot format ${meta.format}`);
  // All of this downloads, checks and compiles while Pyodide instantiates its own wasm.
  const parts = Promise.all([
    fetched(here(meta.snapshot.file)).then(unzipped),
    fetched(here(meta.native.file))
      .then(unzipped)
      .then(async (bytes) => {
        if ((await sha256(bytes)) !== meta.native.sha256) throw new Error("the compiled module changed");
        return WebAssembly.compile(bytes);
      }),
    wheels(meta),
    ...Object.entries(meta.site).map(([file, digest]) => checked(here(file, here("../../")), digest)),
  ]);
  parts.catch(() => {}); // reported where the snapshot is put back, below

  const { packages, ...rest } = options; // already imported, in the snapshot
  const pyodide = await boot({
    ...rest,
    // Pyodide waits for this before it instantiates anything: the real image comes in restoreSnapshot.
    _loadSnapshot: new Uint8Array(16),
    async createPyodideModule(settings) {
      let failure = null; // what went wrong on the way, thrown where the snapshot is put back
      const instantiate = settings.instantiateWasm;
      settings.instantiateWasm = (imports, done) =>
        instantiate(imports, (instance, module) => {
          // The build's memory had grown beyond the module's initial size; Pyodide does not grow it.
          // (Pyodide swallows what this callback throws and would wait for ever: nothing may escape.)
          try {
            const memory = instance.exports.memory;
            const missing = meta.snapshot.bytes - memory.buffer.byteLength;
            if (missing > 0) memory.grow(Math.ceil(missing / 65536));
          } catch (error) {
            failure = error;
          }
          done(instance, module);
        });
      settings.preRun.push((Module) => {
        // Where CPython keeps its call trampoline: this browser's own (0 under the build's Node).
        const trampoline = (Module.__PyRuntime + Module.HEAP32[Module.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET / 4]) / 4;
        const ownTrampoline = Module.HEAP32[trampoline];
        let ready = null;
        Module.addRunDependency("simexit-snapshot"); // the start waits for the parts, as for the stdlib
        parts
          .then((done) => (ready = done), (error) => (failure ??= error))
          .finally(() => Module.removeRunDependency("simexit-snapshot"));
        const put = Module.API.restoreSnapshot;
        Module.API.restoreSnapshot = () => {
          Module.API.restoreSnapshot = put;
          if (failure) throw failure;
          // The standard library Pyodide has just written must be the zip the snapshot imported from.
          if (zipFingerprint(Module.FS.readFile(meta.stdlib.path)) !== meta.stdlib.fingerprint) {
            throw new Error("the standard library changed since the snapshot");
          }
          const [image, native] = ready;
          if (image.length !== meta.snapshot.bytes) throw new Error("the snapshot is truncated");
          const state = put(image); // the memory is the build's now, but for the compiled module's code
          relink(Module, meta, native);
          const heap = image.subarray(new Uint32Array(image.buffer, image.byteOffset, 2)[1]);
          Module.HEAP8.set(heap);
          Module.HEAP8.fill(0, heap.length); // the build's memory was zero beyond (trimmed)
          Module.HEAP32[trampoline] = ownTrampoline;
          return state;
        };
      });
      return (await factory).default(settings);
    },
  });
  const [, , wheelFiles] = await parts;
  for (const [path, bytes] of wheelFiles) {
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, bytes);
  }
  // The build's random state is in the snapshot: every visitor would draw the same numbers.
  pyodide.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
  return pyodide;
}

/** The pure wheels, as the snapshot was made with them and pyodide-lock.json lists them: [path, bytes]. */
async function wheels(meta) {
  const lock = JSON.parse(new TextDecoder().decode(await fetched(here("pyodide-lock.json"))));
  const locked = Object.fromEntries(Object.values(lock.packages).map((p) => [p.file_name, p.sha256]));
  for (const [file, digest] of Object.entries(meta.wheels)) {
    if (locked[file] !== digest) throw new Error(`${file} changed since the snapshot`);
  }
  return Promise.all(
    meta.zipped.map(async (path) => {
      const file = path.split("/").pop();
      return [path, await checked(here(file), meta.wheels[file])];
    }),
  );
}

// Instantiate the compiled module again at the build's places: its data inside the same malloc'd
// block, its functions in the same table slots. Everything the linker writes on the way (zeroed block,
// initial data, constructors) is overwritten by the caller, which copies the build's memory again.
function relink(Module, meta, compiled) {
  const lib = meta.native;
  Module._free(lib.chunk); // calloc hands the same block back (checked below)
  const table = Module.wasmTable;
  if (table.length > lib.tableBase) throw new Error("the library's table slots are taken");
  if (table.length < lib.tableBase) table.grow(lib.tableBase - table.length);
  let placed = null;
  const RealInstance = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(RealInstance, {
    construct(target, args) {
      placed = { memoryBase: args[1]?.env?.__memory_base, tableBase: args[1]?.env?.__table_base };
      return Reflect.construct(target, args);
    },
  });
  try {
    const dso = Module.newDSO(lib.path, lib.handle, "loading");
    dso.global = false;
    const flags = { loadAsync: false, global: false, nodelete: true };
    dso.exports = Module.loadWebAssemblyModule(compiled, flags, lib.path, {}, lib.handle);
    Module.addFunction(dso.exports[lib.init]); // as dlsym did when Python imported it
  } finally {
    WebAssembly.Instance = RealInstance;
  }
  if (placed?.memoryBase !== lib.memoryBase || placed?.tableBase !== lib.tableBase) {
    throw new Error("the compiled module could not be placed where it was");
  }
  if (table.length !== meta.tableEnd) throw new Error("the function table differs from the build's");
}
