// What the service worker and the overlay's frame both need: the extension's own files (fetched once,
// a failed fetch is tried again next time), the UI strings of a language, and the language chosen in the
// saved progress (else the browser's). Glue only: no rule lives here.
"use strict";

(function (root) {
  // chrome.storage.local keys. KEY is simexit.progress.STORAGE_KEY (tests/test_extension_build.py
  // checks every copy); the static page's boot.js cannot load this file.
  const KEY = "simexit.v1";
  const RENDERED = "simexit.rendered";
  const OFF = "simexit.off";
  const COLLAPSED = "simexit.collapsed";
  const files = new Map();

  /** The text (or parsed JSON) of one of the extension's own files. */
  function file(path, json = false) {
    if (!files.has(path)) {
      const loading = fetch(chrome.runtime.getURL(path)).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return json ? r.json() : r.text();
      });
      loading.catch(() => files.delete(path));
      files.set(path, loading);
    }
    return files.get(path);
  }

  /** The extension's UI strings in `lang`, {key: text}: written by the build from the one catalogue,
   * simexit.i18n (the ext. keys); never written by hand. */
  function strings(lang) {
    return file(`strings/${lang === "zh" ? "zh" : "en"}.json`, true);
  }

  /** The saved progress as an object; null when nothing is saved, undefined when it is unreadable
   * (Python reports that and starts again; nobody else may write over it). */
  function parseProgress(raw) {
    if (typeof raw !== "string") return null;
    try {
      const value = JSON.parse(raw);
      return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** What a checklist panel shows for a carrier (`carrier`, its entry in data/detect.json) on a page
   * `found` ({page, domain}), from storage (`store`: KEY, RENDERED, OFF, COLLAPSED): the checklist
   * Python rendered last if it is in the chosen language, else the prerendered one. The overlay's
   * frame and the worker (for Firefox's popup) both paint from this. `local` is what a page already
   * holds, to use instead of fetching: {strings(lang), checklist(carrierId, lang)}, each undefined when
   * it has not that one (the overlay's frame has both built in; the prerendered checklist may then be a
   * <template>'s content rather than text: simexitPaint.checklistNodes takes either). */
  async function checklistView(store, carrier, found, idx, local = null) {
    const progress = parseProgress(store[KEY]);
    const lang = langOf(progress);
    const entry = progress?.carriers?.[carrier.id] ?? {};
    const answered = entry.answers && Object.keys(entry.answers).length > 0;
    const saved = store[RENDERED]?.[carrier.id];
    const fresh = saved && saved.lang === lang && typeof saved.html === "string";
    const [html, messages] = await Promise.all([
      fresh ? saved.html : (local?.checklist(carrier.id, lang) ?? file(`prerender/${carrier.id}.${lang}.html`)),
      local?.strings(lang) ?? strings(lang),
    ]);
    return {
      carrier: carrier.id,
      page: found.page,
      domain: found.domain,
      name: carrier.name[lang],
      lang,
      html,
      source: fresh ? "saved" : answered ? "other_lang" : "default",
      ticks: Array.isArray(entry.ticks) ? entry.ticks.filter((t) => typeof t === "string") : [],
      highlight: idx.page_steps[found.page] ?? [],
      off: Boolean(found.domain && store[OFF]?.[found.domain]),
      collapsed: store[COLLAPSED] === true,
      strings: messages,
    };
  }

  /** "en" or "zh": the saved choice, else the browser's UI language. */
  function langOf(progress) {
    if (progress && (progress.lang === "en" || progress.lang === "zh")) return progress.lang;
    return (chrome.i18n.getUILanguage() || "").toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  root.simexitFiles = { KEY, RENDERED, OFF, COLLAPSED, file, strings, langOf, parseProgress, checklistView };
})(globalThis);
