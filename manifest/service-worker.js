// The extension's hub: detects carrier pages for the overlay and the popup, shows it on the toolbar
// badge, hands out the checklist to paint to the popup without Python (the overlay's frame reads its own)
// and is the one writer of chrome.storage.local, so writes from several tabs never interleave. A content
// script on a carrier page only hands in the page's address, for the badge: it gets nothing personal.
// Storage (chrome.storage.local):
//   "simexit.v1"        the saved progress, the same JSON text the static page keeps in localStorage
//                       (simexit.progress: {carrier, lang, carriers: {id: {answers, ticks, log}}})
//   "simexit.rendered"  {carrier id: {lang, html}}: the checklist Python last rendered in the popup
//   "simexit.off"       {official domain: true}: sites where the user turned the overlay off
//   "simexit.collapsed" true when the user folded the overlay
"use strict";

// Firefox lists these before us in the manifest; Chromium's service worker imports them.
if (typeof importScripts === "function") importScripts("detect.js", "files.js");
const { KEY, RENDERED, OFF, COLLAPSED, file, strings, langOf, parseProgress, checklistView } = globalThis.simexitFiles;

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/; // models.Id
const MAX_TICKS = 50; // progress.CarrierProgress.ticks
const MAX_TEXT = 2_000_000;
const OWN_PAGES = chrome.runtime.getURL("");

const index = () => file("data/detect.json", true); // written by simexit.build from carriers/*.toml

// ---------------------------------------------------------------- what to show for a carrier

async function checklist(found, idx) {
  const store = await chrome.storage.local.get([KEY, RENDERED, OFF, COLLAPSED]);
  const carrier = idx.carriers.find((c) => c.id === found.carrier);
  const [view, css] = await Promise.all([checklistView(store, carrier, found, idx), file("overlay.css")]);
  return { ...view, css };
}

function needsTitle(idx, url, carrierId) {
  const host = simexitDetect.hostOf(url)?.[0];
  const carrier = idx.carriers.find((c) => c.id === carrierId);
  return carrier.pages.some((p) => p.title && p.host === host);
}

async function badge(tabId, found, idx) {
  const lang = langOf(parseProgress((await chrome.storage.local.get(KEY))[KEY]));
  const name = idx.carriers.find((c) => c.id === found.carrier).name[lang];
  const title = `simexit: ${name} · ${(await strings(lang))[`page_${found.page || "other"}`]}`;
  await Promise.all([
    chrome.action.setBadgeText({ tabId, text: found.page ? "✓" : "·" }),
    chrome.action.setBadgeBackgroundColor({ tabId, color: "#0b6e4f" }),
    chrome.action.setTitle({ tabId, title }),
  ]);
}

// ---------------------------------------------------------------- storage: one writer, in order

let writing = Promise.resolve();
function serially(task) {
  const next = writing.then(task, task);
  writing = next.catch(() => {});
  return next;
}

function tick({ carrier, step, checked }) {
  return serially(async () => {
    const raw = (await chrome.storage.local.get(KEY))[KEY];
    const progress = parseProgress(raw);
    if (progress === undefined) return { ok: false }; // never overwrite what Python will report
    const value = progress ?? {};
    value.carriers ??= {};
    const entry = (value.carriers[carrier] ??= {});
    const ticks = new Set(Array.isArray(entry.ticks) ? entry.ticks : []);
    if (checked) ticks.add(step);
    else ticks.delete(step);
    if (ticks.size > MAX_TICKS) return { ok: false };
    entry.ticks = [...ticks].sort();
    await chrome.storage.local.set({ [KEY]: JSON.stringify(value) });
    return { ok: true };
  });
}

function setFlag(key, name, on) {
  return serially(async () => {
    const map = (await chrome.storage.local.get(key))[key] ?? {};
    if (on) delete map[name];
    else map[name] = true;
    await chrome.storage.local.set({ [key]: map });
    return { ok: true };
  });
}

function save({ raw, carrier, lang, html }) {
  return serially(async () => {
    const update = { [KEY]: raw };
    if (typeof html === "string" && html.length < MAX_TEXT && ID.test(carrier) && (lang === "en" || lang === "zh")) {
      const rendered = (await chrome.storage.local.get(RENDERED))[RENDERED] ?? {};
      rendered[carrier] = { lang, html };
      update[RENDERED] = rendered;
    }
    await chrome.storage.local.set(update);
    return { ok: true };
  });
}

/** Switched on again: the content scripts on that site's open tabs put the overlay back. (Switching
 * off needs no word: each overlay frame follows storage itself. Content scripts do not listen to
 * storage, whose change events would hand them the saved answers.) */
async function siteOn(domain) {
  const tabs = await chrome.tabs.query({ url: [`https://*.${domain}/*`] });
  await Promise.all(
    tabs.map((tab) => chrome.tabs.sendMessage(tab.id, { type: "overlay-on" }, { frameId: 0 }).catch(() => {})),
  );
}

// ---------------------------------------------------------------- messages

async function answer(message, sender) {
  const idx = await index();
  const fromExtension = typeof sender.url === "string" && sender.url.startsWith(OWN_PAGES);
  const known = (id) => typeof id === "string" && idx.carriers.some((c) => c.id === id);
  switch (message?.type) {
    case "page": {
      // The content script on a carrier host: its address and title are only matched, never shown.
      const url = String(message.url ?? "").slice(0, 8192);
      const title = message.title == null ? null : String(message.title).slice(0, 2048);
      // It only sets the toolbar badge: the overlay's frame works out the rest itself.
      const found = simexitDetect.detect(idx, url, title);
      if (!found) return { carrier: null };
      if (sender.tab?.id !== undefined) await badge(sender.tab.id, found, idx).catch(() => {});
      return { carrier: found.carrier, page: found.page, needsTitle: needsTitle(idx, url, found.carrier) };
    }
    default:
      break;
  }
  // The rest is for the extension's own pages: the popup and the overlay's frame (overlay.html), never
  // a content script.
  if (!fromExtension) return { ok: false };
  switch (message.type) {
    case "tick":
      if (!known(message.carrier) || !ID.test(message.step ?? "")) return { ok: false };
      return tick({ carrier: message.carrier, step: message.step, checked: message.checked === true });
    case "site": {
      if (!idx.carriers.some((c) => c.domains.includes(message.domain))) return { ok: false };
      const done = await setFlag(OFF, message.domain, message.on === true);
      if (message.on === true) siteOn(message.domain).catch(() => {});
      return done;
    }
    case "collapse":
      return serially(async () => {
        await chrome.storage.local.set({ [COLLAPSED]: message.collapsed === true });
        return { ok: true };
      });
    case "tab": {
      // Which carrier the popup's tab is on. Without the "tabs" permission Chrome gives a tab's
      // address only for hosts in host_permissions: the carriers' own sites.
      const store = await chrome.storage.local.get([KEY, OFF]);
      const lang = langOf(parseProgress(store[KEY]));
      let found = null;
      try {
        const tab = await chrome.tabs.get(Number(message.tabId));
        if (tab.url) found = simexitDetect.detect(idx, tab.url, tab.title ?? null);
      } catch {
        found = null;
      }
      return {
        ...(found ?? { carrier: null, page: null, domain: null }),
        off: Boolean(found && store[OFF]?.[found.domain]),
        lang,
        strings: await strings(lang),
      };
    }
    case "checklist": {
      // The popup without Python (Firefox): the checklist to paint for a carrier.
      if (!known(message.carrier)) return { carrier: null };
      return checklist({ carrier: message.carrier, page: null, domain: null }, idx);
    }
    case "save":
      if (typeof message.raw !== "string" || message.raw.length > MAX_TEXT) return { ok: false };
      return save(message);
    case "engine":
      // The popup is about to connect to the engine: make sure its offscreen document is there.
      return { ok: await openEngine() };
    default:
      return { ok: false };
  }
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  answer(message, sender).then(reply, (error) => reply({ ok: false, error: String(error) }));
  return true; // the reply comes later
});

// The overlay's frame reads chrome.storage.local before its first paint. The browser opens an
// extension's storage on its first use, which made that read the slowest step on the first carrier
// page after an install (about 20 ms instead of 10): a read here, once installed or started, opens it.
const openStorage = () => chrome.storage.local.get(KEY).catch(() => {});
chrome.runtime.onInstalled.addListener(openStorage);
chrome.runtime.onStartup.addListener(openStorage);

// ---------------------------------------------------------------- the engine (Chromium)
// Python runs in a sandbox page framed by an offscreen document (offscreen.html), opened here soon after
// the browser starts or the extension is installed, or when a popup asks first or finds it gone; it then stays
// while the browser runs and serves every popup. Firefox has neither: its popup runs no Python.

const ENGINE_PAGE = "offscreen.html";
let opening = null;

/** The engine's offscreen document, opened once: true when it is there. */
async function openEngine() {
  if (!chrome.offscreen) return false;
  const documentUrls = [chrome.runtime.getURL(ENGINE_PAGE)];
  if ((await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls })).length) return true;
  opening ??= chrome.offscreen
    .createDocument({
      url: ENGINE_PAGE,
      reasons: ["IFRAME_SCRIPTING"],
      justification: "runs the assessment engine (Python) in the sandbox page it frames, once for every popup",
    })
    .catch(async (error) => {
      // another worker run may have opened it meanwhile
      const there = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls });
      if (!there.length) throw error;
    })
    .finally(() => {
      opening = null;
    });
  await opening;
  return true;
}

// Not at once when the browser starts: Python's start (about a second of un-gzipping and compiling)
// competes with the first carrier page of the session, which is often opening just then (its overlay showed
// 50-70 ms later on 2 cores). A popup opened meanwhile asks for the engine itself and gets it at once.
const ENGINE_START_AFTER_MS = 3000;

if (chrome.offscreen) {
  const open = () => openEngine().catch((error) => console.error("simexit engine:", error));
  const openSoon = () => setTimeout(open, ENGINE_START_AFTER_MS);
  chrome.runtime.onStartup.addListener(openSoon);
  chrome.runtime.onInstalled.addListener(openSoon);
}
