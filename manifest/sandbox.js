// The sandbox page (manifest "sandbox"): the static page's boot.js and app.py, run by PyScript, inside
// the popup. A sandbox page may eval (PyScript's start-up needs it) but has an opaque origin: no
// IndexedDB, no localStorage, no chrome.* APIs. So: an in-memory IndexedDB is installed in this module
// before PyScript loads (polyscript opens one at start), and the saved progress lives in the popup,
// which keeps it in chrome.storage.local; window.simexitStore is the localStorage-shaped bridge that
// boot.js and app.py use when it exists.
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
let saved = typeof raw === "string" ? raw : null;

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
