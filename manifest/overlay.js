// The overlay's checklist, inside overlay.html: an extension page that content.js puts in an <iframe> on
// the carrier's page. Everything personal (the checklist the popup rendered from the user's answers,
// the ticks, the language) is read here from chrome.storage.local and painted here, in the extension's
// own origin, where the carrier page cannot reach it (docs/permissions.md). The carrier page, and the
// content script with it, only ever learn which state the panel is in ("loading", "open", "collapsed"
// or "off") and the carrier and page kind it found, which the page knows.
//
// Which carrier and page: the frame's address carries the carrier page's address and title
// (#url=…&title=…&loaded=…, set by content.js), and a {simexit: "page"} message brings them anew when a
// single-page site moves on or the page has been parsed; detect.js matches them against the carrier
// data, as the service worker does. The carrier page could send such messages too (or embed this frame
// itself): so where the browser says which page holds the frame (Chromium's ancestorOrigins), the
// address must be of that page's origin. At worst a page picks which of its own site's pages the
// checklist marks a step for; it never gets anything out. Ticks, folding and the off switch go to the
// service worker, the one writer of storage.
//
// Fast: this page is overlay/<carrier>.html, written by the build with all that the first paint needs
// but storage: the detection index and the UI strings (a JSON data block before this script) and the
// carrier's prerendered checklist in both languages (<template>s at the end of the body). The storage
// read starts as this script starts, while the body is parsed; nothing else is fetched.
"use strict";

(() => {
  // files.js, detect.js and paint.js, loaded before this script
  const { KEY, RENDERED, OFF, COLLAPSED, file, checklistView } = globalThis.simexitFiles;
  const WATCHED = [KEY, RENDERED, OFF, COLLAPSED];
  const TITLE_WAIT_MS = 3000;
  // The carrier page that holds this frame, where the browser says (Chromium); it cannot be forged.
  const parentOrigin = location.ancestorOrigins?.[0] ?? null;
  const own = builtIn(); // {index, strings: {en, zh}}, from the data block
  const index = own.index ? Promise.resolve(own.index) : file("data/detect.json", true);
  // What this page brings, for checklistView: the strings, and the default checklist if it is this
  // page's carrier (a <template>'s content, parsed but inert).
  const local = {
    strings: (lang) => own.strings?.[lang],
    checklist(carrierId, lang) {
      const template = document.getElementById(`checklist-${lang}`);
      return template?.dataset.carrier === carrierId ? template.content : undefined;
    },
  };
  let ui = null; // the panel's parts, once parsed
  // This script starts in the page's <head>, to read storage while the rest is parsed.
  const domReady = new Promise((resolve) => {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", resolve, { once: true });
  }).then(listen);
  let target = fromParams(new URLSearchParams(location.hash.slice(1)));
  let shown = null; // what is painted
  let loading = 0; // refreshes started
  let painted = 0; // the newest refresh painted
  let told = null; // the last message the parent got
  let waited = false; // for the title, long enough
  // Anything unreadable before the first paint folds the overlay away rather than leave an empty frame.
  const update = () => refresh().catch(() => shown || hide());

  const send = (message) => chrome.runtime.sendMessage(message).catch(() => {});

  /** The data block the build filled in; {} if there is none (the fallback fetches the files). */
  function builtIn() {
    try {
      const data = JSON.parse(document.getElementById("simexit-data")?.textContent || "{}");
      return data && typeof data === "object" ? data : {};
    } catch {
      return {};
    }
  }

  function fromParams(params) {
    return {
      url: String(params.get("url") ?? "").slice(0, 8192),
      title: String(params.get("title") ?? "").slice(0, 2048),
      loaded: Boolean(params.get("loaded")),
    };
  }

  /** The carrier page `want` is ({carrier, page, domain} and whether its title matters), if it is one
   * and it is the page that holds this frame; null otherwise. */
  function locate(idx, want) {
    if (parentOrigin) {
      let origin = null;
      try {
        origin = new URL(want.url).origin;
      } catch {
        return null;
      }
      if (origin !== parentOrigin) return null;
    }
    const found = simexitDetect.detect(idx, want.url, want.title);
    if (!found) return null;
    const host = simexitDetect.hostOf(want.url)?.[0];
    const carrier = idx.carriers.find((c) => c.id === found.carrier);
    return { ...found, carrier, titled: carrier.pages.some((p) => p.title && p.host === host) };
  }

  function say(answer, key, site) {
    return (answer.strings[key] || key).replace("{site}", site || "");
  }

  /** Tells content.js (and so the carrier page) which size the frame needs, and which carrier and page
   * kind it found (the page knows both): nothing else. */
  function tell(state) {
    const message = { simexit: "state", state };
    if (shown && state !== "off" && state !== "loading") {
      message.carrier = shown.carrier;
      message.page = shown.page || "";
    }
    const text = JSON.stringify(message);
    if (text === told) return;
    told = text;
    window.parent.postMessage(message, parentOrigin || "*");
  }

  async function refresh() {
    const mine = ++loading;
    const [store, idx] = await Promise.all([
      chrome.storage.local.get(WATCHED),
      index,
      domReady, // and with it the templates
    ]);
    const want = target; // the newest address and title
    const found = locate(idx, want);
    if (!found || store[OFF]?.[found.domain]) {
      if (mine >= painted) {
        painted = mine;
        hide();
      }
      return;
    }
    // A page kind told by the title: wait for the parsed page's title (content.js sends it).
    if (found.titled && !want.loaded && !waited) return;
    const view = await checklistView(store, found.carrier, found, idx, local);
    if (mine < painted) return; // a newer refresh has painted already
    painted = mine;
    show(view);
  }

  function show(answer) {
    const previous = shown;
    shown = answer;
    document.documentElement.lang = answer.lang === "zh" ? "zh-CN" : "en";
    const sameChecklist =
      previous && previous.html === answer.html && previous.lang === answer.lang &&
      previous.carrier === answer.carrier;
    if (!sameChecklist) {
      ui.title.textContent = say(answer, "overlay_title");
      ui.collapse.textContent = say(answer, "overlay_collapse");
      ui.pill.textContent = say(answer, "overlay_expand");
      ui.guide.textContent = say(answer, "overlay_guide");
      ui.body.replaceChildren(simexitPaint.checklistNodes(answer.html, document));
    }
    ui.where.textContent = `${answer.name} · ${say(answer, `page_${answer.page || "other"}`)}`;
    ui.off.textContent = say(answer, "overlay_off", answer.domain);
    const noteKey = { default: "overlay_default", other_lang: "overlay_other_lang" }[answer.source];
    ui.note.textContent = noteKey ? say(answer, noteKey) : "";
    ui.note.hidden = !noteKey;
    simexitPaint.applyTicks(ui.body, answer.ticks);
    const here =
      sameChecklist && previous.page === answer.page
        ? null
        : simexitPaint.highlight(ui.body, answer.highlight, say(answer, "overlay_here"));
    ui.panel.hidden = answer.collapsed;
    ui.pill.hidden = !answer.collapsed;
    tell(answer.collapsed ? "collapsed" : "open");
    // Scrolling measures the laid-out panel: done before the next frame is drawn, not in this task,
    // since the message to content.js only leaves once this task is over.
    if (here && !answer.collapsed) requestAnimationFrame(() => simexitPaint.scrollWithin(ui.body, here));
  }

  async function hide() {
    await domReady;
    shown = null;
    ui.panel.hidden = true;
    ui.pill.hidden = true;
    ui.body.replaceChildren();
    tell("off");
  }

  function setCollapsed(collapsed) {
    if (!shown) return;
    shown.collapsed = collapsed;
    ui.panel.hidden = collapsed;
    ui.pill.hidden = !collapsed;
    tell(collapsed ? "collapsed" : "open");
    send({ type: "collapse", collapsed });
    (collapsed ? ui.pill : ui.collapse).focus({ preventScroll: true });
  }

  function listen() {
    const $ = (selector) => document.querySelector(selector);
    ui = {
      panel: $(".panel"),
      pill: $(".pill"),
      title: $(".title"),
      where: $(".where"),
      note: $(".panel-note"),
      body: $(".body"),
      guide: $(".guide"),
      collapse: $(".collapse"),
      off: $(".off"),
    };
    simexitPaint.keepAnchorsInside(ui.body, ui.body);
    ui.body.addEventListener("change", (event) => {
      const box = event.target;
      if (!shown || !box.matches || !box.matches("input[data-tick]")) return;
      send({ type: "tick", carrier: shown.carrier, step: box.dataset.tick, checked: box.checked });
    });
    ui.collapse.addEventListener("click", () => setCollapsed(true));
    ui.pill.addEventListener("click", () => setCollapsed(false));
    ui.off.addEventListener("click", () => {
      if (!shown) return;
      send({ type: "site", domain: shown.domain, on: false });
      hide();
    });
  }

  // The page was parsed, or a single-page carrier site moved on: content.js sends the new address and
  // title (nothing personal).
  addEventListener("message", (event) => {
    if (event.source !== window.parent || (parentOrigin && event.origin !== parentOrigin)) return;
    const data = event.data;
    if (!data || typeof data !== "object" || data.simexit !== "page") return;
    target = {
      url: String(data.url ?? "").slice(0, 8192),
      title: String(data.title ?? "").slice(0, 2048),
      loaded: data.loaded === true,
    };
    update();
  });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && WATCHED.some((key) => key in changes)) update();
  });
  tell("loading"); // content.js may now send what changes
  update();
  // Should the parsed page's title never come, paint with what there is.
  setTimeout(() => {
    waited = true;
    if (!shown) update();
  }, TITLE_WAIT_MS);
})();
