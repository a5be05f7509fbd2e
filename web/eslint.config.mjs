// ESLint for every JavaScript file simexit ships or builds with (web/*.js, web/*.mjs, manifest/*.js); run from the repository root
// by `make lint`: web/node_modules/.bin/eslint --config web/eslint.config.mjs (with --config, paths
// below are relative to the working directory, the root). eslint, @eslint/js and globals are pinned
// devDependencies in web/package-lock.json; nothing here reaches the network.
// Each group is declared as the browser really loads it: ES modules (<script type="module"> and what
// they import) or classic scripts (content script, service worker / Firefox background scripts,
// <script src> in overlay.html and popup.html), with the globals that context has.
import js from "@eslint/js";
import globals from "globals";

// Inserting markup parsed from a string: content.js runs on the carrier's page and must never put
// page-provided (or any) HTML into it; it only builds elements and sets text.
const NO_HTML_STRINGS = [
  {
    selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
    message: "No innerHTML/outerHTML in a content script: build elements and set textContent.",
  },
  {
    selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln|setHTMLUnsafe)$/]",
    message: "No HTML strings in a content script: build elements and set textContent.",
  },
  {
    selector: "CallExpression[callee.property.name='createContextualFragment']",
    message: "No HTML strings in a content script: build elements and set textContent.",
  },
];

// Shared between the extension's contexts: each defines one global that later scripts read.
const OWN_GLOBALS = { simexitDetect: "readonly", simexitFiles: "readonly", simexitPaint: "readonly" };

export default [
  { ignores: ["**/node_modules/", "dist/", "build/", ".venv/", "test-results/"] },
  js.configs.recommended,
  {
    files: ["web/*.js", "web/*.mjs", "manifest/*.js"],
    rules: {
      // `x == null` is the one loose comparison: null or undefined, on purpose.
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all", ignoreRestSiblings: true }],
      "no-var": "error",
      // `let [a, b] = …` where only `a` is reassigned stays one declaration.
      "prefer-const": ["error", { destructuring: "all" }],
      // Off: it flags `let x = null; try { x = … } catch { x = null; }`, a deliberate default, no bug.
      "no-useless-assignment": "off",
    },
  },
  {
    // ES modules: web/boot.js (the static page's <script type="module">) and web/shell.js, which it and
    // the popup import, and the engine's sandbox page's module (no chrome.* there: an opaque origin).
    // web/restore.mjs runs beside Pyodide in the page's worker and in the sandbox page.
    files: ["web/boot.js", "web/shell.js", "manifest/sandbox.js", "web/restore.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["manifest/popup.js"],
    languageOptions: {
      sourceType: "module",
      globals: { ...globals.browser, ...globals.webextensions, simexitPaint: "readonly", simexitFiles: "readonly" },
    },
  },
  {
    // Classic scripts in the extension's own pages (overlay.html, popup.html, offscreen.html) and its
    // content script.
    files: [
      "manifest/content.js",
      "manifest/overlay.js",
      "manifest/paint.js",
      "manifest/files.js",
      "manifest/offscreen.js",
    ],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.browser, ...globals.webextensions, ...OWN_GLOBALS },
    },
  },
  {
    // Chromium's service worker (importScripts) and Firefox's background scripts; detect.js also runs
    // in Node for the tests (vm.runInThisContext, globals only).
    files: ["manifest/service-worker.js", "manifest/detect.js"],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.serviceworker, ...globals.webextensions, ...OWN_GLOBALS },
    },
  },
  {
    files: ["manifest/content.js"],
    rules: { "no-restricted-syntax": ["error", ...NO_HTML_STRINGS] },
  },
  {
    // Build-time only, run by Node (never shipped): byte-compiles the Python archives, takes the
    // memory snapshot.
    files: ["web/compile.mjs", "web/snapshot.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
