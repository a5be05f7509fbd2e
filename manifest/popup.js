// The popup. In Chromium it embeds the sandbox page, where PyScript runs the same app.py as the static
// page (extension pages forbid the eval PyScript needs; a manifest sandbox page allows it but has no
// storage and no chrome.* APIs), and keeps the sandbox's saved progress in chrome.storage.local through
// the service worker. Firefox has no sandbox pages: there the popup paints the saved or prerendered
// checklist without Python. Which tab to describe: ?tab=<id> if given (tests), else the active tab.
"use strict";

const KEY = "simexit.v1";
const params = new URLSearchParams(location.search);
const main = document.getElementById("main");
const send = (message) => chrome.runtime.sendMessage(message);

// Start the engine's page at once: it loads Pyodide while we find out which carrier the tab is on.
const engine = chrome.runtime.getManifest().sandbox ? document.createElement("iframe") : null;
let initial = null; // resolves to the saved progress the sandbox starts from

if (engine) {
  let resolveInitial;
  initial = new Promise((resolve) => (resolveInitial = resolve));
  window.addEventListener("message", async (event) => {
    if (event.source !== engine.contentWindow) return; // only our own sandbox page talks to us
    const message = event.data;
    if (message?.type === "hello") {
      engine.contentWindow.postMessage({ type: "init", raw: await initial }, "*"); // its origin is opaque
    } else if (message?.type === "save" && typeof message.raw === "string") {
      await send({ type: "save", raw: message.raw, carrier: message.carrier, lang: message.lang, html: message.html });
      document.documentElement.dataset.saves = String(Number(document.documentElement.dataset.saves || 0) + 1);
    } else if (message?.type === "ready") {
      document.documentElement.dataset.pyReadyMs = String(Math.round(performance.now()));
    }
  });
  engine.id = "engine";
  engine.src = "sandbox.html";
  engine.title = "simexit";
  engine.allow = "clipboard-write"; // "copy as Markdown"
  main.append(engine);
  start().then(resolveInitial, async () => {
    // Never start Python from nothing when something is saved: it would save over it.
    resolveInitial((await chrome.storage.local.get(KEY))[KEY] ?? null);
  });
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

/** The saved progress with the tab's carrier chosen, as the JSON text app.py reads. */
function withCarrier(raw, carrier) {
  if (!carrier) return raw ?? null;
  let value;
  try {
    value = raw ? JSON.parse(raw) : {};
  } catch {
    return raw; // unreadable: Python says so and starts again
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return raw;
  return JSON.stringify({ ...value, carrier });
}

async function start() {
  const stored = chrome.storage.local.get(KEY).then((s) => (typeof s[KEY] === "string" ? s[KEY] : null));
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
  if (engine) return withCarrier(await stored, info?.carrier);
  await showStatic(info, await stored);
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
