// The overlay on a carrier's own pages: a panel in a closed shadow root that shows the checklist the
// popup saved (or the one prerendered at build time) at once, without Python, and marks the step that
// fits the page. It only guides: it never clicks, fills in or submits anything on the page, and the only
// things it reads from the page are its address and title, which it hands to the service worker for
// detection and never puts into the panel. Everything in the panel is either built with textContent or
// is simexit's own rendered checklist, passed through paint.js's allow-list.
"use strict";

(() => {
  if (window.top !== window || globalThis.simexitOverlay) return;
  globalThis.simexitOverlay = true;
  const paint = globalThis.simexitPaint;
  const HOST_ID = "simexit-overlay";
  const WATCHED = ["simexit.v1", "simexit.rendered", "simexit.off", "simexit.collapsed"];

  let view = null; // {host, shadow, panel, pill, body, answer}
  let asking = 0;

  const ask = (message) => chrome.runtime.sendMessage(message);
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Asks again when the worker was asleep and missed the first call (Chromium may answer a message
   * sent while it restarts its worker with "Receiving end does not exist"). */
  async function askPatiently(message) {
    for (const wait of [0, 50, 250, 1000]) {
      if (wait) await pause(wait);
      if (!chrome.runtime?.id) break; // the extension was reloaded or removed
      try {
        return await ask(message);
      } catch {
        // try again
      }
    }
    return null;
  }

  function el(doc, tag, props = {}, children = []) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  }

  function say(answer, key, site) {
    return (answer.strings[key] || key).replace("{site}", site || "");
  }

  function build(answer) {
    const doc = document;
    const host = doc.createElement("div");
    host.id = HOST_ID;
    // Inline !important declarations, set through the CSSOM (never blocked by a page's CSP), keep the
    // host out of the page's layout whatever the page's own styles say.
    for (const [prop, value] of [
      ["all", "initial"],
      ["position", "fixed"],
      ["z-index", "2147483647"],
      ["right", "12px"],
      ["bottom", "12px"],
      ["display", "block"],
    ]) {
      host.style.setProperty(prop, value, "important");
    }
    const shadow = host.attachShadow({ mode: "closed" }); // the page cannot read the user's answers
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(answer.css);
      shadow.adoptedStyleSheets = [sheet];
    } catch {
      shadow.append(el(doc, "style", { text: answer.css }));
    }
    const collapse = el(doc, "button", { type: "button", className: "collapse" });
    const off = el(doc, "button", { type: "button", className: "off" });
    const where = el(doc, "p", { className: "where" });
    const title = el(doc, "h2", { className: "title", id: "simexit-title" });
    const note = el(doc, "p", { className: "panel-note" });
    const body = el(doc, "div", { className: "body" });
    const guide = el(doc, "p", { className: "guide" });
    const panel = el(doc, "section", { className: "panel", "aria-labelledby": "simexit-title" }, [
      el(doc, "header", {}, [el(doc, "div", {}, [title, where]), collapse]),
      note,
      body,
      el(doc, "footer", {}, [guide, off]),
    ]);
    const pill = el(doc, "button", { type: "button", className: "pill" });
    shadow.append(panel, pill);
    paint.keepAnchorsInside(body, body);
    body.addEventListener("change", (event) => {
      const box = event.target;
      if (!box.matches || !box.matches("input[data-tick]")) return;
      const carrier = view.answer.carrier;
      ask({ type: "tick", carrier, step: box.dataset.tick, checked: box.checked }).catch(() => {});
    });
    collapse.addEventListener("click", () => setCollapsed(true, true));
    pill.addEventListener("click", () => setCollapsed(false, true));
    off.addEventListener("click", () => {
      ask({ type: "site", domain: view.answer.domain, on: false }).catch(() => {});
      remove();
    });
    return { host, shadow, panel, pill, body, title, where, note, guide, collapse, off, answer: null };
  }

  function setCollapsed(collapsed, remember) {
    if (!view) return;
    view.panel.hidden = collapsed;
    view.pill.hidden = !collapsed;
    view.host.dataset.state = collapsed ? "collapsed" : "open";
    if (remember) ask({ type: "collapse", collapsed }).catch(() => {});
    (collapsed ? view.pill : view.collapse).focus({ preventScroll: true });
  }

  function show(answer) {
    const fresh = !view;
    if (fresh) view = build(answer);
    const previous = view.answer;
    view.answer = answer;
    const { host, body } = view;
    host.dataset.carrier = answer.carrier;
    host.dataset.page = answer.page || "";
    host.lang = answer.lang === "zh" ? "zh-CN" : "en";
    view.panel.lang = host.lang;
    const sameChecklist =
      previous && previous.html === answer.html && previous.lang === answer.lang &&
      previous.carrier === answer.carrier;
    if (!sameChecklist) {
      view.title.textContent = say(answer, "overlay_title");
      view.where.textContent = `${answer.name} · ${say(answer, `page_${answer.page || "other"}`)}`;
      view.collapse.textContent = say(answer, "overlay_collapse");
      view.pill.textContent = say(answer, "overlay_expand");
      view.off.textContent = say(answer, "overlay_off", answer.domain);
      view.guide.textContent = say(answer, "overlay_guide");
      body.replaceChildren(paint.checklistNodes(answer.html, document));
    }
    const noteKey = { default: "overlay_default", other_lang: "overlay_other_lang" }[answer.source];
    view.note.textContent = noteKey ? say(answer, noteKey) : "";
    view.note.hidden = !noteKey;
    paint.applyTicks(body, answer.ticks);
    const here = sameChecklist && previous.page === answer.page
      ? null
      : paint.highlight(body, answer.highlight, say(answer, "overlay_here"));
    view.panel.hidden = answer.collapsed;
    view.pill.hidden = !answer.collapsed;
    host.dataset.state = answer.collapsed ? "collapsed" : "open";
    if (!host.isConnected) document.documentElement.append(host);
    if (here && !answer.collapsed) paint.scrollWithin(body, here);
  }

  function remove() {
    if (view) view.host.remove();
    view = null;
  }

  async function refresh() {
    const mine = ++asking;
    const answer = await askPatiently({ type: "page", url: location.href, title: document.title });
    if (mine !== asking) return; // a newer question is on its way
    if (!answer || !answer.carrier || answer.off) {
      remove();
      return;
    }
    show(answer);
    if (answer.needsTitle && document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", refresh, { once: true });
    }
  }

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && WATCHED.some((key) => key in changes)) refresh();
  });
  // Single-page sites change the address without loading a page.
  if (globalThis.navigation) navigation.addEventListener("navigatesuccess", refresh);
  addEventListener("popstate", refresh);
  addEventListener("hashchange", refresh);
  refresh();
})();
