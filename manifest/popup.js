// The popup. In Chromium it embeds the sandbox page, where PyScript runs the same app.py as the static
// page (extension pages forbid the eval PyScript needs; a manifest sandbox page allows it but has no
// storage and no chrome.* APIs), and keeps the sandbox's saved progress in chrome.storage.local through
// the service worker. Changes others make to it (the overlay's ticks) are relayed to the sandbox, where
// Python merges them; a save that fails is reported there too, so Python can say so. Firefox has no sandbox pages: there the popup paints the saved or prerendered
// checklist without Python. Which tab to describe: ?tab=<id> if given (tests), else the active tab.
"use strict";

const { KEY } = globalThis.simexitFiles; // files.js, loaded before this module
const params = new URLSearchParams(location.search);
const main = document.getElementById("main");
const send = (message) => chrome.runtime.sendMessage(message);

// Start the engine's page at once: it loads Pyodide while we find out which carrier the tab is on.
const engine = chrome.runtime.getManifest().sandbox ? document.createElement("iframe") : null;
let initial = null; // resolves to the carrier of the tab (or null): the sandbox starts there
let relaying = false; // true once the sandbox has its saved progress: later changes are relayed

if (engine) {
  let resolveInitial;
  initial = new Promise((resolve) => (resolveInitial = resolve));
  const toEngine = (message) => engine.contentWindow.postMessage(message, "*"); // its origin is opaque
  window.addEventListener("message", async (event) => {
    if (event.source !== engine.contentWindow) return; // only our own sandbox page talks to us
    const message = event.data;
    if (message?.type === "hello") {
      const carrier = await initial;
      const stored = (await chrome.storage.local.get(KEY))[KEY]; // read now: the newest there is
      toEngine({ type: "init", raw: withCarrier(typeof stored === "string" ? stored : null, carrier) });
      relaying = true;
    } else if (message?.type === "save" && typeof message.raw === "string") {
      let reply = null;
      try {
        reply = await send({ type: "save", raw: message.raw, carrier: message.carrier, lang: message.lang, html: message.html });
      } catch {
        reply = null;
      }
      if (!reply?.ok) toEngine({ type: "save-failed" }); // Python tells the person, once
      document.documentElement.dataset.saves = String(Number(document.documentElement.dataset.saves || 0) + 1);
    } else if (message?.type === "ready") {
      document.documentElement.dataset.pyReadyMs = String(Math.round(performance.now()));
    }
  });
  // The overlay's ticks (written by the service worker) and other popups: Python merges them in.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local" || !relaying || !(KEY in changes)) return;
    const raw = changes[KEY].newValue;
    if (typeof raw === "string") toEngine({ type: "changed", raw });
  });
  engine.id = "engine";
  engine.src = "sandbox.html";
  engine.title = "simexit";
  engine.allow = "clipboard-write"; // "copy as Markdown"
  main.append(engine);
  start().then(resolveInitial, () => resolveInitial(null)); // what is saved is read at "hello" either way
} else {
  start().catch(() => {});
}

async function targetTab() {
  const given = Number.parseInt(params.get("tab") ?? "", 10);
  if (Number.isInteger(given)) return given;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function say(info, key, site) {
  return (info.strings[key] || key).replace("{site}", site || "");
}

function siteSwitch(info) {
  if (!info.carrier || !info.domain) return;
  const box = document.getElementById("site-on");
  document.getElementById("site-label").textContent = say(info, "popup_site_on", info.domain);
  box.checked = !info.off;
  box.addEventListener("change", () => send({ type: "site", domain: info.domain, on: box.checked }));
  document.getElementById("site").hidden = false;
}

/** The saved progress with the tab's carrier chosen (now, so it wins when Python merges), as the JSON
 * text app.py reads. */
function withCarrier(raw, carrier) {
  if (!carrier) return raw ?? null;
  let value;
  try {
    value = raw ? JSON.parse(raw) : {};
  } catch {
    return raw; // unreadable: Python says so and starts again
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return raw;
  if (value.carrier === carrier) return raw;
  const chosenAt = Number.isSafeInteger(value.chosen_at) ? value.chosen_at : 0;
  return JSON.stringify({ ...value, carrier, chosen_at: Math.max(Date.now(), chosenAt + 1) });
}

async function start() {
  let info = null;
  try {
    info = await send({ type: "tab", tabId: await targetTab() });
  } catch {
    info = null; // no tab to describe: the saved carrier stays
  }
  if (info?.strings) {
    document.documentElement.lang = info.lang === "zh" ? "zh-CN" : "en";
    document.documentElement.dataset.carrier = info.carrier ?? "";
    siteSwitch(info);
  }
  if (engine) return info?.carrier ?? null;
  const stored = (await chrome.storage.local.get(KEY))[KEY];
  await showStatic(info, typeof stored === "string" ? stored : null);
  return null;
}

// ---------------------------------------------------------------- Firefox: no Python in the popup

async function showStatic(info, stored) {
  const status = document.getElementById("status");
  if (!info?.strings) return;
  let carrier = info.carrier;
  if (!carrier) {
    try {
      carrier = JSON.parse(stored).carrier ?? null;
    } catch {
      carrier = null;
    }
  }
  const answer = carrier ? await send({ type: "checklist", carrier }) : null;
  if (!answer?.carrier) {
    status.textContent = say(info, "popup_no_carrier");
    return;
  }
  status.textContent = say(info, "popup_static");
  main.className = "static";
  main.lang = answer.lang === "zh" ? "zh-CN" : "en";
  main.replaceChildren(simexitPaint.checklistNodes(answer.html, document));
  simexitPaint.applyTicks(main, answer.ticks);
  simexitPaint.keepAnchorsInside(main, main);
  main.addEventListener("change", (event) => {
    const box = event.target;
    if (box.matches("input[data-tick]")) {
      send({ type: "tick", carrier: answer.carrier, step: box.dataset.tick, checked: box.checked });
    }
  });
}
