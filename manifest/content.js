// The overlay on a carrier's own pages: only the frame around it. The checklist itself (the user's
// answers, figures, dates, ticks) is painted by the carrier's frame page, overlay/<carrier>.html, an
// extension page in an <iframe>, whose origin the carrier page cannot read (no DOM walk, window.find(),
// selection nor contentDocument gets into it; docs/permissions.md). This script never sees that
// checklist. At once, without waiting for anything (the manifest says which frame page this site may
// embed), it puts a small fixed container with the frame on the page, hidden; the frame works out
// the carrier and the page kind from the page's address and title (which this script hands it, and
// nothing else), reads storage, paints, and tells this script the one thing it needs to know: "open",
// "collapsed" or "off" (with the carrier and page kind, which the page knows). Only then is the
// container shown, sized for that state, or removed. It does not listen to storage either (its change
// events carry the saved answers): the worker tells it when the overlay is switched on again.
// It also tells the service worker the address, for the toolbar badge (once the overlay is up: the
// worker may have to start, and the frame comes first). It only guides: it never
// clicks, fills in or submits anything on the page, and the only things it reads from the page are its
// address and title, which are only matched against the carrier data, never shown.
"use strict";

(() => {
  if (window.top !== window || globalThis.simexitOverlay) return;
  globalThis.simexitOverlay = true;
  const HOST_ID = "simexit-overlay";
  const FRAME = framePage();
  if (!FRAME) return;
  const FRAME_ORIGIN = chrome.runtime.getURL("").replace(/\/$/, "");
  // The frame's size per state: fixed, so that it says nothing about how long the checklist is.
  const SIZES = {
    open: ["min(380px, calc(100vw - 24px))", "min(70vh, 640px)", "10px"],
    collapsed: ["170px", "34px", "999px"],
  };
  const TOKEN = /^[a-z0-9_-]{0,64}$/;

  let view = null; // {host, frame, sent, ready}
  let asking = 0;
  let badged = false; // the first badge waits for the overlay (or the page's load): paint first

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** This site's frame page, overlay/<carrier>.html (the carrier's checklists are built into it): the
   * manifest lets each carrier's sites embed that carrier's page and no other, so the entry whose
   * patterns (https://*.<domain>/*) cover this host names it. */
  function framePage() {
    const host = location.hostname.replace(/\.$/, "");
    for (const { resources, matches } of chrome.runtime.getManifest().web_accessible_resources ?? []) {
      for (const pattern of matches ?? []) {
        const domain = /^https:\/\/\*\.([^/*]+)\/\*$/.exec(pattern)?.[1];
        if (domain && (host === domain || host.endsWith(`.${domain}`))) return chrome.runtime.getURL(resources[0]);
      }
    }
    return null;
  }

  /** Asks again when the worker was asleep and missed the first call (Chromium may answer a message
   * sent while it restarts its worker with "Receiving end does not exist"). */
  async function askPatiently(message) {
    for (const wait of [0, 50, 250, 1000]) {
      if (wait) await pause(wait);
      if (!chrome.runtime?.id) break; // the extension was reloaded or removed
      try {
        return await chrome.runtime.sendMessage(message);
      } catch {
        // try again
      }
    }
    return null;
  }

  /** What the frame and the worker are told about the page: its address and title, and whether the
   * title is final (the page has been parsed). */
  const here = () => ({
    url: location.href,
    title: document.title,
    loaded: document.readyState !== "loading",
  });
  const same = (a, b) => a.url === b.url && a.title === b.title && a.loaded === b.loaded;

  // Inline !important declarations, set through the CSSOM (never blocked by a page's CSP), keep the
  // host out of the page's layout whatever the page's own styles say.
  function styled(node, declarations) {
    for (const [prop, value] of declarations) node.style.setProperty(prop, value, "important");
    return node;
  }

  function build() {
    const host = styled(document.createElement("div"), [
      ["all", "initial"],
      ["position", "fixed"],
      ["z-index", "2147483647"],
      ["right", "12px"],
      ["bottom", "12px"],
      ["display", "block"],
      ["visibility", "hidden"], // until the frame has painted
    ]);
    host.id = HOST_ID;
    host.dataset.state = "loading";
    const frame = styled(document.createElement("iframe"), [
      ["all", "initial"],
      ["display", "block"],
      ["width", "100%"],
      ["height", "100%"],
      ["border", "0"],
      ["box-shadow", "0 6px 24px rgb(0 0 0 / 0.22)"],
    ]);
    const sent = here();
    frame.title = "simexit";
    frame.src = `${FRAME}#${new URLSearchParams({ ...sent, loaded: sent.loaded ? "1" : "" })}`;
    // A closed shadow root keeps the page's styles and scripts off the frame element; the frame's
    // origin is what keeps the checklist unreadable.
    host.attachShadow({ mode: "closed" }).append(frame);
    return { host, frame, sent, ready: false };
  }

  function size(state) {
    const [width, height, radius] = SIZES[state];
    styled(view.host, [
      ["width", width],
      ["height", height],
    ]);
    styled(view.frame, [["border-radius", radius]]);
  }

  /** The frame says which state it painted: the one kind of message this script takes from it. */
  function onFrameMessage(event) {
    if (!view || event.source !== view.frame.contentWindow || event.origin !== FRAME_ORIGIN) return;
    const data = event.data;
    if (!data || typeof data !== "object" || data.simexit !== "state") return;
    view.ready = true; // it listens now
    if (data.state !== "loading") firstBadge();
    if (data.state === "off") {
      remove();
      return;
    }
    if (data.state === "open" || data.state === "collapsed") {
      size(data.state);
      const { host } = view;
      const token = (value) => (typeof value === "string" && TOKEN.test(value) ? value : "");
      host.dataset.carrier = token(data.carrier);
      host.dataset.page = token(data.page);
      host.dataset.state = data.state;
      host.style.setProperty("visibility", "visible", "important");
    }
    tellFrame();
  }

  /** A new address or title (a single-page site moved on, or the page was parsed) goes to the frame. */
  function tellFrame() {
    if (!view || !view.ready) return;
    const now = here();
    if (same(now, view.sent)) return;
    view.sent = now;
    view.frame.contentWindow.postMessage({ simexit: "page", ...now }, FRAME_ORIGIN);
  }

  function show() {
    if (view) return;
    if (!document.documentElement) {
      document.addEventListener("readystatechange", show, { once: true });
      return;
    }
    view = build();
    size("open");
    document.documentElement.append(view.host);
  }

  function remove() {
    if (view) view.host.remove();
    view = null;
  }

  /** The address and title for the toolbar badge (the worker is the one that sets it). */
  async function badge() {
    const mine = ++asking;
    const { url, title } = here();
    const answer = await askPatiently({ type: "page", url, title });
    if (mine !== asking || !answer?.needsTitle || document.readyState !== "loading") return;
    document.addEventListener("DOMContentLoaded", badge, { once: true });
  }

  function firstBadge() {
    if (badged) return;
    badged = true;
    badge();
  }

  // A page can change its address thousands of times a second (hash or history API): answer the burst
  // once it settles, so the worker never queues a detection per change.
  const SETTLE_MS = 150;
  let settling = 0;
  function moved() {
    clearTimeout(settling);
    settling = setTimeout(() => {
      tellFrame();
      if (badged) badge();
    }, SETTLE_MS);
  }

  addEventListener("message", onFrameMessage);
  document.addEventListener("DOMContentLoaded", tellFrame, { once: true });
  // Switched on again from the popup: the worker says so (this script does not listen to storage,
  // whose change events carry the saved answers). The frame then decides whether to show.
  chrome.runtime.onMessage.addListener((message, sender) => {
    if (sender.id === chrome.runtime.id && message?.type === "overlay-on") show();
    return false;
  });
  // Single-page sites change the address without loading a page.
  if (globalThis.navigation) navigation.addEventListener("navigatesuccess", moved);
  addEventListener("popstate", moved);
  addEventListener("hashchange", moved);
  addEventListener("load", firstBadge, { once: true });
  show();
})();
