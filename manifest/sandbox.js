// The sandbox page (manifest "sandbox"): the static page's boot.js and app.py, run by PyScript, inside
// the popup. A sandbox page may eval (PyScript's start-up needs it) but has an opaque origin: no
// IndexedDB, no localStorage, no chrome.* APIs. So: an in-memory IndexedDB is installed in this module
// before PyScript loads (polyscript opens one at start), and the saved progress lives in the popup,
// which keeps it in chrome.storage.local; window.simexitStore is the localStorage-shaped bridge that
// boot.js and app.py use when it exists. Changes made by others (the overlay's ticks) arrive from the
// popup and are dispatched as the `storage` event the static page gets from other tabs, so app.py
// merges them the same way; a failed save arrives as "simexit-save-failed".
import "./runtime/fake-indexeddb/auto/index.mjs";

const KEY = "simexit.v1";
const popup = window.parent;
const popupOrigin = new URL(location.href).origin; // the extension's pages, never anyone else

const init = new Promise((resolve) => {
  if (popup === window) resolve({ raw: null }); // opened on its own: nothing saved, kept in memory
  window.addEventListener("message", function onInit(event) {
    if (event.source !== popup || event.data?.type !== "init") return;
    window.removeEventListener("message", onInit);
    resolve(event.data);
  });
});
popup.postMessage({ type: "hello" }, popupOrigin);
const { raw } = await init;
let saved = typeof raw === "string" ? raw : null; // what storage holds, as far as we know

window.addEventListener("message", (event) => {
  if (event.source !== popup) return;
  const message = event.data;
  if (message?.type === "changed" && typeof message.raw === "string") {
    // Every change, in the order written, our own saves too: one may be another writer's, or ours
    // landing after it and overwriting it. Python merges each and writes back what was lost.
    saved = message.raw;
    window.dispatchEvent(new StorageEvent("storage", { key: KEY, newValue: saved, oldValue: null }));
  } else if (message?.type === "save-failed") {
    window.dispatchEvent(new Event("simexit-save-failed"));
  }
});

window.simexitStore = {
  getItem: (key) => (key === KEY ? saved : null),
  setItem(key, value) {
    if (key !== KEY) return;
    saved = String(value);
    // The checklist Python has just rendered goes along, for the overlay on the carrier's pages.
    const app = document.getElementById("app");
    const checklist = document.getElementById("checklist");
    popup.postMessage(
      {
        type: "save",
        raw: saved,
        carrier: app?.dataset.carrier,
        lang: app?.dataset.lang,
        html: checklist ? checklist.innerHTML : null,
      },
      popupOrigin,
    );
  },
};

// A source link opens in a tab of its own, never inside the popup.
document.addEventListener(
  "click",
  (event) => {
    const link = event.target.closest?.("a[href]");
    if (link && /^https?:/i.test(link.getAttribute("href"))) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
  },
  true,
);

new MutationObserver((_, observer) => {
  if (document.documentElement.dataset.pyReady === "true") {
    observer.disconnect();
    popup.postMessage({ type: "ready" }, popupOrigin);
  }
}).observe(document.documentElement, { attributes: true, attributeFilter: ["data-py-ready"] });

await import("./boot.js");
