// The static page's start: paints the prerendered checklist for the saved carrier and language,
// restores ticks and wires Print, so the page is readable at once, then starts the engine. Glue only:
// every rule stays in Python.
import { showPrerendered, startShell, wirePage } from "./shell.js";

// The engine starts first, in its worker: its start-up runs beside the page's, and the page's thread
// only creates the worker.
const worker = startWorker();
const KEY = "simexit.v1";
const app = document.getElementById("app");

let saved = null;
try {
  saved = JSON.parse(localStorage.getItem(KEY) || "null");
} catch {
  saved = null; // Python resets it and tells the user
}
const isId = (v) => typeof v === "string" && /^[a-z0-9]{1,32}$/.test(v);
const browserLang = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
// The URL fragment (#carrier=…&lang=…) wins over what was saved; Python reads the rest of it.
const hint = new URLSearchParams(location.hash.slice(1));
const hintLang = ["en", "zh"].includes(hint.get("lang")) ? hint.get("lang") : null;
const hintCarrier = isId(hint.get("carrier")) ? hint.get("carrier") : null;
const lang = hintLang ?? (saved && (saved.lang === "en" || saved.lang === "zh") ? saved.lang : browserLang);
const carrier = hintCarrier ?? (saved && isId(saved.carrier) ? saved.carrier : app.dataset.carrier);

await showPrerendered(app, carrier, lang, saved?.carriers);
wirePage(); // Print, jump links into folded sections, printing everything

// Python (simexit.session, in web/engine.py) runs in a PyScript worker, never on this thread: the
// page takes clicks, ticks and typing from the first paint on. What the person does before the engine
// is up is kept by the shell and applied in order once it is.
const store = {
  get: () => localStorage.getItem(KEY),
  set(raw) {
    localStorage.setItem(KEY, raw); // throws when storage is full or switched off
    return true;
  },
};
const engine = { request: null };
const shell = startShell({ app, engine, store });
window.addEventListener("storage", (event) => {
  // another tab saved; a removal or a clear keeps ours
  if (event.key === KEY && typeof event.newValue === "string") shell.stored(event.newValue);
});

async function startWorker() {
  performance.mark("simexit:engine-start"); // the boot's phases, for the benchmark
  const { PyWorker } = await import("./runtime/pyscript/core.js");
  const here = (path) => new URL(path, location.href).href;
  const started = await PyWorker(here("./engine.py"), {
    type: "pyodide",
    version: here("./runtime/pyodide/restore.mjs"),
    config: here("./pyscript.json"),
  });
  performance.mark("simexit:engine-ready");
  return started;
}

// Some failures (the engine's code missing) surface as an error PyScript throws elsewhere, not as a
// rejection of the worker: any uncaught error before the engine is ready means it did not start.
const failed = (error) => {
  if (document.documentElement.dataset.pyReady === "true") return;
  console.error("simexit: the engine did not start:", error);
  shell.failed();
};
window.addEventListener("unhandledrejection", (event) => failed(event.reason));
window.addEventListener("error", (event) => failed(event.error ?? event.message));
worker
  .then(async (started) => {
    engine.request = async (message) => JSON.parse(await started.sync.handle("page", JSON.stringify(message)));
    await shell.start();
  })
  .catch(failed);
