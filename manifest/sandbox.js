// The engine's page (manifest "sandbox", Chromium only), framed by the offscreen document
// (offscreen.js), which the service worker keeps open while the browser runs: Pyodide runs the
// static page's engine.py here once, and every popup is served by it. A sandbox page may eval
// (Pyodide turns compiled modules' JavaScript snippets into functions); it has an opaque origin and no
// chrome.* APIs, so it reaches nothing of the extension but its own files. It answers only its parent,
// the offscreen document, by postMessage: {type: "handle", client, id, text} -> {type: "effects",
// client, id, text} (simexit.session's messages and effects, as JSON text), {type: "close", client}.
//
// Pyodide is loaded directly, as PyScript would load it from the same pyscript.json (its "packages"
// and "files"): PyScript's own start-up needs IndexedDB, which an opaque origin does not have, and
// nothing here needs its DOM glue.
import { loadPyodide } from "./runtime/pyodide/restore.mjs";

const parent = window.parent;
const OWN = new URL(location.href).origin; // chrome-extension://<id>: the offscreen document's origin
const here = (path) => new URL(path, location.href).href;
const tell = (message) => parent.postMessage(message, OWN);

async function fetched(path, as) {
  const response = await fetch(here(path));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response[as]();
}

async function startEngine() {
  const config = await fetched("pyscript.json", "json");
  const files = Promise.all(
    Object.entries(config.files).map(async ([from, to]) => [to, new Uint8Array(await fetched(from, "arrayBuffer"))]),
  );
  const [pyodide, copies, source] = await Promise.all([
    loadPyodide({ indexURL: here("runtime/pyodide/"), packages: config.packages }),
    files,
    fetched("engine.py", "text"),
  ]);
  for (const [to, data] of copies) pyodide.FS.writeFile(to, data);
  pyodide.runPython(source, { filename: "engine.py" });
  return { handle: pyodide.globals.get("handle"), close: pyodide.globals.get("close") };
}

const engine = startEngine();

window.addEventListener("message", async (event) => {
  if (event.source !== parent || event.origin !== OWN) return; // only the offscreen document
  const message = event.data;
  if (typeof message?.client !== "string") return;
  let python;
  try {
    python = await engine;
  } catch {
    return; // said once, below
  }
  if (message.type === "handle" && typeof message.text === "string") {
    const { client, id } = message;
    try {
      tell({ type: "effects", client, id, text: python.handle(client, message.text) });
    } catch (error) {
      tell({ type: "effects", client, id, error: String(error) });
    }
  } else if (message.type === "close") {
    python.close(message.client);
  }
});

engine.then(
  () => tell({ type: "ready", startedAt: performance.timeOrigin, bootMs: Math.round(performance.now()) }),
  (error) => tell({ type: "failed", error: String(error) }),
);
