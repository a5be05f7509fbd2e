// Runs before Python: paints the prerendered checklist for the saved carrier and language, restores
// ticks and wires Print, so the page is readable at once. Glue only: every rule stays in Python.
const KEY = "simexit.v1";
const app = document.getElementById("app");

let saved = null;
try {
  // In the extension's sandbox page (no storage of its own) the popup keeps the saved progress.
  const store = window.simexitStore ?? localStorage;
  saved = JSON.parse(store.getItem(KEY) || "null");
} catch {
  saved = null; // Python resets it and tells the user
}
const isId = (v) => typeof v === "string" && /^[a-z0-9]{1,32}$/.test(v);
const browserLang = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
const lang = saved && (saved.lang === "en" || saved.lang === "zh") ? saved.lang : browserLang;
const carrier = saved && isId(saved.carrier) ? saved.carrier : app.dataset.carrier;

if (carrier !== app.dataset.carrier || lang !== app.dataset.lang) {
  try {
    const res = await fetch(`./prerender/${carrier}.${lang}.html`); // built by simexit.build
    if (res.ok) {
      app.innerHTML = await res.text();
      app.dataset.carrier = carrier;
      app.dataset.lang = lang;
    }
  } catch {
    // keep the default checklist
  }
}
document.documentElement.lang = app.dataset.lang === "zh" ? "zh-CN" : "en";

const ticks = saved?.carriers?.[app.dataset.carrier]?.ticks;
if (Array.isArray(ticks)) {
  for (const kind of ticks) {
    if (typeof kind !== "string") continue;
    const box = app.querySelector(`[data-tick="${CSS.escape(kind)}"]`);
    if (box) box.checked = true;
  }
}
document.addEventListener("click", (event) => {
  if (event.target.closest("#print")) window.print();
});

// Start PyScript once the checklist is painted, so its start-up never delays the first view.
requestAnimationFrame(() => setTimeout(() => import("./runtime/pyscript/core.js")));
