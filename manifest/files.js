// What the service worker and the overlay's frame both need: the extension's own files (fetched once,
// a failed fetch is tried again next time), the UI strings of a language, and the language chosen in the
// saved progress (else the browser's). Glue only: no rule lives here.
"use strict";

(function (root) {
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

  /** "en" or "zh": the saved choice, else the browser's UI language. */
  function langOf(progress) {
    if (progress && (progress.lang === "en" || progress.lang === "zh")) return progress.lang;
    return (chrome.i18n.getUILanguage() || "").toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  root.simexitFiles = { file, strings, langOf };
})(globalThis);
