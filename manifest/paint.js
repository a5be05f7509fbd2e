// Paints a checklist that simexit's engine rendered (Python's render.to_html, saved by the popup, or a
// fragment prerendered at build time) into a container, keeping only the markup that renderer makes:
// an allow-list of elements and attributes, no event handlers, links only to http(s) or #anchors.
// Shared by the overlay's frame (overlay.js) and the popup's no-Python view. Glue only: no rule lives here.
"use strict";

(function (root) {
  const TAGS = new Set([
    "A", "ABBR", "B", "BLOCKQUOTE", "BR", "CITE", "CODE", "DD", "DEL", "DETAILS", "DIV", "DL", "DT", "EM",
    "H2", "H3", "H4", "HR", "I", "INPUT", "INS", "LABEL", "LI", "MARK", "NAV", "OL", "P", "Q", "S", "SECTION",
    "SMALL", "SPAN", "STRONG", "SUB", "SUMMARY", "SUP", "TABLE", "TBODY", "TD", "TH", "THEAD", "TIME", "TR",
    "UL",
  ]);
  const ATTRS = new Set([
    "checked", "class", "colspan", "datetime", "for", "hidden", "href", "id", "lang", "open", "rel",
    "role", "rowspan", "scope", "title", "type",
  ]);
  const DATA_ATTR = /^(?:data|aria)-[a-z-]+$/;
  const HREF = /^(?:#[\w-]+|https?:\/\/[^\s]+)$/i;

  /** Removes everything the engine's renderer never produces from `node`'s subtree, in place. */
  function sanitize(node) {
    for (const el of [...node.querySelectorAll("*")]) {
      if (!node.contains(el)) continue; // inside a removed element
      if (!TAGS.has(el.tagName) || (el.tagName === "INPUT" && el.getAttribute("type") !== "checkbox")) {
        el.remove();
        continue;
      }
      for (const { name, value } of [...el.attributes]) {
        const ok = ATTRS.has(name) || DATA_ATTR.test(name);
        if (!ok || (name === "href" && !HREF.test(value))) el.removeAttribute(name);
      }
      if (el.tagName === "A" && /^https?:/i.test(el.getAttribute("href") || "")) {
        el.setAttribute("target", "_blank"); // a source opens beside the carrier's page, never over it
        el.setAttribute("rel", "noopener noreferrer");
      }
    }
    return node;
  }

  /**
   * The checklist inside `html` (a whole prerendered app, or just the checklist), sanitized and copied
   * into `doc`. `html` is text, or the content of a <template> holding that markup (already parsed).
   * Both are inert: DOMParser's document and a template's content have no window, so nothing in them
   * runs or loads while we look at it, and nothing reaches `doc` before it is sanitized.
   */
  function checklistNodes(html, doc) {
    const parsed =
      typeof html === "object" && html?.nodeType === Node.DOCUMENT_FRAGMENT_NODE
        ? html
        : new DOMParser().parseFromString(String(html), "text/html");
    const source = parsed.getElementById("checklist") || parsed.body || parsed;
    sanitize(source); // in place (a template's content stays sanitized: the same markup again)
    const fragment = doc.createDocumentFragment();
    for (const child of [...source.childNodes]) fragment.append(doc.importNode(child, true));
    return fragment;
  }

  /** Ticks the boxes of the steps in `ticks` and unticks the others. */
  function applyTicks(container, ticks) {
    const done = new Set(Array.isArray(ticks) ? ticks : []);
    for (const box of container.querySelectorAll("input[data-tick]")) {
      box.checked = done.has(box.dataset.tick);
    }
  }

  /** The first step of `kinds` present in the checklist, marked with `note`; null if none is. */
  function highlight(container, kinds, note) {
    for (const old of container.querySelectorAll(".here")) old.classList.remove("here");
    for (const old of container.querySelectorAll(".here-note")) old.remove();
    for (const kind of kinds || []) {
      const step = [...container.querySelectorAll("li[data-step]")].find((li) => li.dataset.step === kind);
      if (step) {
        step.classList.add("here");
        const p = container.ownerDocument.createElement("p");
        p.className = "here-note";
        p.textContent = note;
        step.prepend(p);
        return step;
      }
    }
    return null;
  }

  /** In-panel links (#src-…, #term-…) scroll the panel instead of changing the page's address. */
  function keepAnchorsInside(container, scroller) {
    container.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest('a[href^="#"]');
      if (!link) return;
      event.preventDefault();
      const id = link.getAttribute("href").slice(1);
      const target = [...container.querySelectorAll("[id]")].find((el) => el.id === id);
      if (!target) return;
      for (let el = target; el && el !== container; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
      const inner = target.querySelector(":scope > details"); // a jump link to a folded section
      if (inner) inner.open = true;
      scrollWithin(scroller, target);
    });
  }

  /** Scrolls `scroller` (and nothing else, never the page) so that `el` is at its top. */
  function scrollWithin(scroller, el) {
    const top = el.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTop += top - 8;
  }

  root.simexitPaint = { sanitize, checklistNodes, applyTicks, highlight, keepAnchorsInside, scrollWithin };
})(globalThis);
