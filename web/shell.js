// The checklist's shell, shared by the static page and the extension's popup: it tells the engine
// (simexit.session, in Python, off this thread) what the person did, and applies what comes back.
// Glue only: every rule stays in Python. The engine's HTML is built and escaped by Python.
//
// engine.request(message) -> Promise<effects>; store.get() -> the saved text or null;
// store.set(text) -> true, false (not kept), or a promise of either.

const PY_BUTTONS = new Set([
  "lang-toggle",
  "detect-url",
  "copy-md",
  "ics",
  "log-add",
  "reset",
  "reset-no",
  "reset-yes",
  "undo",
]);
const CONTROLS = ["answers", "copy-md", "reset", "ics", "log-add"]; // off until the engine answers

/** What a click, change, input or Enter in the app was, as data; null when the engine has no use for it. */
export function recordAction(event, app) {
  const el = event.target;
  if (!(el instanceof Element) || !app.contains(el)) return null;
  if (event.type === "click") {
    const button = el.closest("button");
    if (!button) return null;
    if (button.classList.contains("copy-report")) {
      const text = button.closest("details.report")?.querySelector(".report-text")?.textContent ?? "";
      return { type: "click", button: "copy-report", text };
    }
    return PY_BUTTONS.has(button.id) ? { type: "click", button: button.id } : null;
  }
  if (event.type === "keydown") {
    if (event.key !== "Enter" || el.id !== "f-carrier") return null;
    event.preventDefault();
    return { type: "enter", id: el.id, value: el.value };
  }
  if (!el.id || (event.type === "input" && (el.type === "checkbox" || el.type === "radio"))) return null;
  return { type: event.type, id: el.id, value: el.value ?? "", checked: Boolean(el.checked) };
}

/** The answers the form shows, keyed by field name (a radio group: its checked value, if any). */
export function formValues(app) {
  const values = {};
  const form = app.querySelector("#situation");
  for (const el of form ? form.elements : []) {
    if (!el.name) continue;
    if (el.type === "radio") {
      if (el.checked) values[el.name] = el.value;
    } else if (el.type === "checkbox") values[el.name] = el.checked;
    else values[el.name] = el.value;
  }
  return values;
}

function localDay() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The prerendered checklist of `carrier` in `lang` (built by simexit.build into prerender/, so
 * rendered and escaped by Python), with the ticks saved for the carrier it shows (`saved`: the saved
 * progress's carriers): readable and tickable before the engine is up. What is on the page stays
 * when that carrier's checklist cannot be fetched. */
export async function showPrerendered(app, carrier, lang, saved) {
  const shown = app.querySelector('[data-testid="checklist"]');
  if (!shown || carrier !== app.dataset.carrier || lang !== app.dataset.lang) {
    const response = await fetch(`./prerender/${carrier}.${lang}.html`).catch(() => null);
    if (response?.ok) {
      app.innerHTML = await response.text();
      app.dataset.carrier = carrier;
      app.dataset.lang = lang;
    }
  }
  document.documentElement.lang = app.dataset.lang === "zh" ? "zh-CN" : "en";
  const ticks = saved?.[app.dataset.carrier]?.ticks;
  for (const kind of Array.isArray(ticks) ? ticks : []) {
    if (typeof kind !== "string") continue;
    const box = app.querySelector(`[data-tick="${CSS.escape(kind)}"]`);
    if (box) box.checked = true;
  }
}

/** What the page does without the engine, on the static page and in the popup: Print, a jump link or
 * citation into a folded section opens it first, and a printout shows everything (what is folded on
 * screen opens for the print and folds back after). */
export function wirePage() {
  document.addEventListener("click", (event) => {
    if (event.target.closest?.("#print")) window.print();
    const link = event.target.closest?.('a[href^="#"]');
    const target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      for (let el = target; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
      const inner = target.querySelector(":scope > details");
      if (inner) inner.open = true;
    }
  });
  let foldedForPrint = [];
  window.addEventListener("beforeprint", () => {
    const folded = [...document.querySelectorAll("details:not([open])")];
    foldedForPrint.push(...folded); // a second beforeprint (a PDF export) must not forget the first
    for (const details of folded) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of foldedForPrint) details.open = false;
    foldedForPrint = [];
  });
}

export function startShell({ app, engine, store, deferred = false, onStored = () => {} }) {
  const root = document.documentElement;
  const actions = []; // what the person did, in order, until the engine has taken it
  let ready = false;
  let busy = false;
  let reassessed = 0;

  const message = (fields) => {
    let stored = null;
    try {
      stored = store.get();
    } catch {
      stored = null;
    }
    return { ...fields, today: localDay(), stored: typeof stored === "string" ? stored : null };
  };

  function enable() {
    for (const id of CONTROLS) {
      const control = document.getElementById(id);
      if (control) control.disabled = false;
    }
    const loading = document.getElementById("loading");
    if (loading) loading.hidden = true;
  }

  function showNotice({ text, about, page }) {
    let box = document.getElementById("notice");
    if (!box) {
      box = document.createElement("p");
      box.id = "notice";
      box.className = "notice";
      box.hidden = true;
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
    }
    // Beside the control it is about, else the one just used: on a phone the top is out of view.
    const control = about ? document.getElementById(about) : document.activeElement;
    const anchor = !page && control?.closest ? control.closest(".q, .actions, li, section") : null;
    if (anchor && app.contains(anchor)) {
      if (anchor.tagName === "LI") anchor.append(box);
      else anchor.after(box);
    } else if (text || !box.isConnected) {
      document.querySelector("header.top")?.after(box);
    }
    box.textContent = text;
    box.hidden = !text;
  }

  async function save(raw) {
    let ok;
    try {
      ok = await store.set(raw);
    } catch {
      ok = false;
    }
    if (ok === false) send({ type: "save_failed" });
    else onStored(raw);
  }

  function download({ name, type, text }) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  /** Replaces a part of the page and keeps open what the person had opened in it: the extra
   * questions, the dates, a folded section. (The engine opens a section itself once something in it
   * is filled in; only the person closes one.) A section is known by its id or its parent's. */
  function redraw(part, replace) {
    const owner = (details) => (details.id ? details : details.parentElement);
    const opened = [...part.querySelectorAll("details[open]")].map((d) => owner(d)?.id).filter(Boolean);
    replace(part);
    for (const id of opened) {
      const el = document.getElementById(id);
      const details = el?.matches("details") ? el : el?.querySelector(":scope > details");
      if (details) details.open = true;
    }
  }

  function apply(effects) {
    for (const effect of effects) {
      const el = effect.id ? document.getElementById(effect.id) : null;
      switch (effect.do) {
        case "app": {
          const focused = document.activeElement?.id;
          redraw(app, () => (app.innerHTML = effect.html));
          app.dataset.carrier = effect.carrier;
          app.dataset.lang = effect.lang;
          root.lang = effect.lang === "zh" ? "zh-CN" : "en";
          enable();
          if (focused) document.getElementById(focused)?.focus();
          break;
        }
        case "enable":
          enable();
          break;
        case "checklist":
          redraw(document.getElementById("checklist"), (list) => (list.innerHTML = effect.html));
          root.dataset.reassessMs = effect.ms.toFixed(2); // read by the benchmark and tests
          root.dataset.reassessCount = String(++reassessed);
          break;
        case "ticks":
          for (const box of app.querySelectorAll("[data-tick]")) box.checked = effect.ticks.includes(box.dataset.tick);
          break;
        case "notice":
          showNotice(effect);
          break;
        case "store":
          save(effect.raw);
          break;
        case "fragment":
          try {
            history.replaceState(null, "", effect.value);
          } catch {
            // a sandboxed or file: page may refuse; the fragment is only a convenience
          }
          break;
        case "clipboard":
          navigator.clipboard?.writeText(effect.text).catch(() => {});
          break;
        case "download":
          download(effect);
          break;
        case "show":
        case "hide":
          if (el) el.hidden = effect.do === "hide";
          break;
        case "focus":
          el?.focus();
          break;
        case "log":
          redraw(document.getElementById("log"), (log) => (log.outerHTML = effect.html));
          document.getElementById("log-add").disabled = false;
          break;
        case "invalid":
          for (const [name, bad] of Object.entries(effect.fields)) {
            app.querySelector(`[name="${CSS.escape(name)}"]`)?.setAttribute("aria-invalid", String(bad));
          }
          break;
        case "warm":
          root.dataset.warm = "done"; // for the tests: the sample still assesses
          break;
        default:
          break;
      }
    }
  }

  /** The message for one recorded action, from the page as it is now: the control gets the recorded
   * value first (the page may have been redrawn since, e.g. with saved answers). The engine reads
   * only that control's field from `form`: others may show answers whose actions are still queued. */
  function toMessage(action) {
    const base = { type: action.type };
    if (action.type === "click") {
      if (action.button === "detect-url") base.url = document.getElementById("f-url")?.value ?? "";
      if (action.button === "log-add") {
        base.log = {};
        for (const el of app.querySelectorAll('[id^="log-"]')) if ("value" in el) base.log[el.id.slice(4)] = el.value;
      }
      return message({ ...base, button: action.button, text: action.text });
    }
    const el = document.getElementById(action.id);
    if (!el) return null;
    if (el.type === "checkbox" || el.type === "radio") el.checked = action.checked;
    else if ("value" in el) el.value = action.value;
    return message({
      ...base,
      id: action.id,
      name: el.getAttribute("name"),
      tick: el.getAttribute("data-tick"),
      value: action.value,
      checked: action.checked,
      form: formValues(app),
    });
  }

  // html[data-busy] while something the person did is still on its way to the engine or back: what
  // tests wait for before they look.
  function queue(action) {
    actions.push(action);
    root.dataset.busy = "true";
    drain();
  }

  async function drain() {
    if (busy || !ready) return;
    busy = true;
    try {
      while (actions.length) {
        const action = actions.shift();
        const next = actions[0];
        // typing into one field: only its last value counts
        if (next && action.type === "input" && next.type === "input" && next.id === action.id) continue;
        const msg = action.message ?? toMessage(action);
        if (!msg) continue;
        try {
          apply(await engine.request(msg));
        } catch (error) {
          console.error("simexit engine:", error);
        }
      }
    } finally {
      busy = false;
      if (!actions.length) delete root.dataset.busy;
    }
  }

  function send(fields) {
    queue({ message: message(fields) });
  }

  for (const type of ["change", "input", "keydown", "click"]) {
    app.addEventListener(type, (event) => {
      const action = recordAction(event, app);
      if (action) queue(action);
    });
  }
  window.addEventListener("hashchange", () => send({ type: "hash", hash: location.hash }));

  return {
    /** The engine is up: start the session, apply what was done meanwhile, then say so. */
    async start() {
      if (root.dataset.pyFailed) return; // told already: an engine half started is not to be trusted
      const ticked = [...app.querySelectorAll("[data-tick]:checked")].map((box) => box.dataset.tick);
      const shown = { carrier: app.dataset.carrier, lang: app.dataset.lang, built: app.dataset.built };
      const msg = message({ type: "start", hash: location.hash, shown, ticked, deferred });
      apply(await engine.request(msg));
      ready = true;
      await drain();
      root.dataset.pyBootMs = String(Math.round(performance.now())); // navigation start -> interactive
      root.dataset.pyReady = "true";
      const idle = window.requestIdleCallback ?? setTimeout; // not in every browser (Safari)
      idle(() => send({ type: "warm" }));
    },
    /** Another writer changed the saved progress (another tab, or the overlay in the extension). */
    stored(raw) {
      send({ type: "stored", raw });
    },
    saveFailed() {
      send({ type: "save_failed" });
    },
    /** The engine could not start: say so where "starting…" was; the prerendered checklist stays. */
    failed() {
      const loading = document.getElementById("loading");
      if (loading?.dataset.failed) loading.textContent = loading.dataset.failed;
      root.dataset.pyFailed = "true";
      actions.length = 0;
      delete root.dataset.busy;
    },
  };
}
