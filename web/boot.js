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
// The URL fragment (#carrier=…&lang=…) wins over what was saved; Python reads the rest of it.
const hint = new URLSearchParams(location.hash.slice(1));
const hintLang = ["en", "zh"].includes(hint.get("lang")) ? hint.get("lang") : null;
const hintCarrier = isId(hint.get("carrier")) ? hint.get("carrier") : null;
const lang = hintLang ?? (saved && (saved.lang === "en" || saved.lang === "zh") ? saved.lang : browserLang);
const carrier = hintCarrier ?? (saved && isId(saved.carrier) ? saved.carrier : app.dataset.carrier);

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
  // A jump link or citation into a folded section opens it first.
  const link = event.target.closest('a[href^="#"]');
  const target = link && document.getElementById(link.getAttribute("href").slice(1));
  if (target) {
    for (let el = target; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
    const inner = target.querySelector(":scope > details");
    if (inner) inner.open = true;
  }
});

// Until Python answers, what the person does in the form is recorded here (and kept from Python's
// half-started handlers); app.py applies it in order once it is ready. Nothing is lost or doubled.
const pending = [];
window.simexitPending = pending;
const ready = () => document.documentElement.dataset.pyReady === "true";
const PY_BUTTONS = new Set(["lang-toggle", "detect-url"]);
const record = (event) => {
  const el = event.target;
  if (ready() || !(el instanceof Element) || !app.contains(el)) return;
  if (event.type === "click") {
    const button = el.closest("button");
    if (!button || !PY_BUTTONS.has(button.id)) return;
    pending.push({ type: "click", id: button.id });
  } else if (event.type === "keydown") {
    if (event.key !== "Enter" || el.id !== "f-carrier") return;
    event.preventDefault();
    pending.push({ type: "keydown", id: el.id, value: el.value, key: "Enter" });
  } else {
    if (!el.id || (event.type === "input" && (el.type === "checkbox" || el.type === "radio"))) return;
    pending.push({ type: event.type, id: el.id, value: el.value ?? "", checked: Boolean(el.checked) });
  }
  event.stopPropagation();
};
for (const type of ["change", "input", "keydown", "click"]) window.addEventListener(type, record, true);

// Start PyScript once the checklist is painted, so its start-up never delays the first view.
requestAnimationFrame(() => setTimeout(() => import("./runtime/pyscript/core.js")));

// A printout shows everything: what is folded on screen opens for the print and folds back after.
let foldedForPrint = [];
window.addEventListener("beforeprint", () => {
  const folded = [...document.querySelectorAll("details:not([open])")];
  foldedForPrint.push(...folded); // a second beforeprint (a PDF export) must not forget the first
  for (const details of folded) details.open = true;
});
window.addEventListener("afterprint", () => {
  for (const details of foldedForPrint) details.open = false;
  foldedForPrint = [];
});
