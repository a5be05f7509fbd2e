// The popup. In Chromium it is the static page's checklist, driven by the same shell (shell.js) and the
// same Python engine: the engine runs once, in the offscreen document the service worker keeps open
// (offscreen.js, sandbox.js), and the popup talks to it over a Port. It paints the prerendered checklist
// of the tab's carrier at once and takes clicks and ticks from then on; the shell sends them to the
// engine as soon as it answers. The saved progress lives in chrome.storage.local, written by the
// service worker; changes others make to it (the overlay's ticks) are relayed to the engine, which
// merges them; a save that fails is reported to it too, so Python can say so. Firefox has no sandbox
// pages: there the popup paints the saved or prerendered checklist without Python. Which tab to
// describe: ?tab=<id> if given (tests), else the active tab.
"use strict";

const { KEY, parseProgress, langOf } = globalThis.simexitFiles; // files.js, loaded before this module
const params = new URLSearchParams(location.search);
const main = document.getElementById("main");
const app = document.getElementById("app");
const root = document.documentElement;
const send = (message) => chrome.runtime.sendMessage(message);
const isId = (v) => typeof v === "string" && /^[a-z0-9]{1,32}$/.test(v);

if (chrome.runtime.getManifest().permissions?.includes("offscreen")) {
  withEngine().catch((error) => console.error("simexit popup:", error));
} else {
  withoutEngine().catch(() => {});
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

/** Which carrier the tab is on, in the saved language, with the extension's words; null if unknown. */
async function tabInfo() {
  let info = null;
  try {
    info = await send({ type: "tab", tabId: await targetTab() });
  } catch {
    info = null; // no tab to describe: the saved carrier stays
  }
  if (!info?.strings) return null;
  root.lang = info.lang === "zh" ? "zh-CN" : "en";
  root.dataset.carrier = info.carrier ?? "";
  siteSwitch(info);
  return info;
}

function siteSwitch(info) {
  if (!info.carrier || !info.domain) return;
  const box = document.getElementById("site-on");
  document.getElementById("site-label").textContent = say(info, "popup_site_on", info.domain);
  box.checked = !info.off;
  box.addEventListener("change", () => send({ type: "site", domain: info.domain, on: box.checked }));
  document.getElementById("site").hidden = false;
}

function stylesheet(href) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  const loaded = new Promise((resolve) => {
    link.onload = resolve;
    link.onerror = resolve;
  });
  document.head.append(link);
  return loaded;
}

// ---------------------------------------------------------------- Chromium: the engine

/** The saved progress with the tab's carrier chosen (now, so it wins when Python merges), as the JSON
 * text the engine reads. */
function withCarrier(raw, carrier) {
  if (!carrier) return raw ?? null;
  const value = parseProgress(raw);
  if (value === undefined) return raw; // unreadable: Python says so and starts again
  if (value?.carrier === carrier) return raw;
  const chosenAt = Number.isSafeInteger(value?.chosen_at) ? value.chosen_at : 0;
  return JSON.stringify({ ...value, carrier, chosen_at: Math.max(Date.now(), chosenAt + 1) });
}

/** The engine in the offscreen document, over a Port: request(message) -> Promise<effects>. */
function connectEngine() {
  const port = chrome.runtime.connect({ name: "simexit-engine" });
  const pending = new Map();
  let next = 0;
  let broken = null; // the engine failed or went away: every request, now and later, fails with it
  const fail = (error) => {
    broken = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  port.onMessage.addListener((message) => {
    if (message?.type === "effects") {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (typeof message.text === "string") waiter.resolve(JSON.parse(message.text));
      else waiter.reject(new Error(String(message.error)));
    } else if (message?.type === "engine") {
      // When Python started in the offscreen document, for the tests and the benchmark.
      root.dataset.engineStartedAt = String(message.startedAt);
      root.dataset.engineBootMs = String(message.bootMs);
    } else if (message?.type === "failed") {
      fail(new Error(String(message.error)));
    }
  });
  port.onDisconnect.addListener(() => fail(new Error("engine-disconnected")));
  return {
    request(message) {
      if (broken) return Promise.reject(broken);
      return new Promise((resolve, reject) => {
        next += 1;
        pending.set(next, { resolve, reject });
        port.postMessage({ id: next, text: JSON.stringify(message) });
      });
    },
  };
}

async function withEngine() {
  // All at once: the shell, the page's style, the engine's document (opened just after browser start, so
  // normally there), the tab's carrier and what is saved.
  const shellModule = import("./shell.js");
  const styled = stylesheet("style.css");
  const engineThere = send({ type: "engine" }).catch(() => null);
  let latest = null; // the saved progress, newest known
  let heard = false;
  let started = false;
  let shell = null;
  let saved = null; // what storage holds, as far as the engine's session knows
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local" || !(KEY in changes)) return;
    const raw = changes[KEY].newValue;
    if (typeof raw !== "string") return; // removed or cleared: the engine keeps ours
    latest = raw;
    heard = true;
    // Every change, in the order written, our own saves too: one may be another writer's, or ours
    // landing after it and overwriting it. Python merges each and writes back what was lost.
    if (started) {
      saved = raw;
      shell.stored(raw);
    }
  });
  const [info, stored] = await Promise.all([tabInfo(), chrome.storage.local.get(KEY)]);
  if (!heard) latest = typeof stored[KEY] === "string" ? stored[KEY] : null;
  const progress = parseProgress(latest);

  // The prerendered checklist of the tab's carrier (else the saved one) in the saved language, with
  // the saved ticks: readable and tickable at once.
  const carrier = info?.carrier ?? (isId(progress?.carrier) ? progress.carrier : app.dataset.carrier);
  const lang = info?.lang ?? langOf(progress);
  const { showPrerendered, startShell, wirePage } = await shellModule;
  await showPrerendered(app, carrier, lang, progress?.carriers);

  const store = {
    get: () => (started ? saved : withCarrier(latest, info?.carrier)),
    async set(raw) {
      saved = raw;
      await null; // the rest of the engine's answer first: the checklist it has just rendered
      // The checklist goes along, for the overlay on the carrier's pages.
      const checklist = document.getElementById("checklist");
      const html = checklist ? checklist.innerHTML : null;
      let reply = null;
      try {
        reply = await send({ type: "save", raw, carrier: app.dataset.carrier, lang: app.dataset.lang, html });
      } catch {
        reply = null;
      }
      root.dataset.saves = String(Number(root.dataset.saves || 0) + 1);
      return reply?.ok === true; // false: Python tells the person, once
    },
  };
  const engine = { request: () => Promise.reject(new Error("engine-not-connected")) };
  shell = startShell({ app, engine, store, deferred: true });
  wirePage();
  await styled;
  app.hidden = false;
  root.dataset.painted = String(Math.round(performance.now())); // for the benchmark

  await engineThere;
  engine.request = connectEngine().request;
  saved = store.get();
  started = true;
  try {
    await shell.start();
  } catch (error) {
    console.error("simexit popup: the engine did not start:", error);
    shell.failed(); // said where "starting…" was; the prerendered checklist stays
  }
}

// A source link opens in a tab of its own, never inside the popup.
app.addEventListener(
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

// ---------------------------------------------------------------- Firefox: no Python in the popup

async function withoutEngine() {
  const [info, stored] = await Promise.all([tabInfo(), chrome.storage.local.get(KEY), stylesheet("overlay.css")]);
  await showStatic(info, typeof stored[KEY] === "string" ? stored[KEY] : null);
}

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
