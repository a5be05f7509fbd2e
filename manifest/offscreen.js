// The offscreen document (Chromium): the service worker opens it a few seconds after the browser starts
// or the extension is installed (and when a popup finds it missing), and it stays while the browser runs, so
// Python starts once and not at every opening of the popup. It frames the sandbox page (sandbox.js),
// where Pyodide runs engine.py (extension pages may not eval; a sandbox page may), and relays between
// it and the popups: each popup holds a Port (chrome.runtime.connect, name "simexit-engine") and is
// one client of the engine; when the popup closes, its Port disconnects and its session is dropped.
// Glue only: no rule lives here, and nothing is kept but the messages in flight.
//
// Port, popup -> here: {id, text} (a message for simexit.session, JSON text). Here -> popup:
// {type: "engine", startedAt, bootMs} once Python is up (at once if it already is), {type: "effects",
// id, text | error}, {type: "failed", error} if Python could not start.
"use strict";

(function () {
  const POPUP = chrome.runtime.getURL("popup.html");
  const frame = document.createElement("iframe");
  let engine = null; // {startedAt, bootMs}: what the sandbox said when Python was up
  let failed = null;
  const waiting = []; // messages for the sandbox until its engine is up
  const ports = new Map(); // client id -> the popup's Port
  let clients = 0;

  /** How many popups are connected, on the document element: for the tests. */
  function counted() {
    document.documentElement.dataset.clients = String(ports.size);
  }

  function toSandbox(message) {
    if (engine) frame.contentWindow.postMessage(message, "*"); // its origin is opaque: "null"
    else waiting.push(message);
  }

  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow) return; // only our own sandbox page talks to us
    const message = event.data;
    if (message?.type === "ready" && !engine) {
      engine = { startedAt: Number(message.startedAt), bootMs: Number(message.bootMs) };
      for (const port of ports.values()) port.postMessage({ type: "engine", ...engine });
      for (const queued of waiting.splice(0)) toSandbox(queued);
    } else if (message?.type === "effects" && typeof message.client === "string") {
      const { id, text, error } = message;
      const answer = typeof text === "string" ? { text } : { error: String(error) };
      ports.get(message.client)?.postMessage({ type: "effects", id, ...answer });
    } else if (message?.type === "failed") {
      failed = String(message.error);
      for (const port of ports.values()) port.postMessage({ type: "failed", error: failed });
    }
  });

  chrome.runtime.onConnect.addListener((port) => {
    // Only the extension's popup; anything else connecting is not for us.
    if (port.name !== "simexit-engine" || port.sender?.id !== chrome.runtime.id) return;
    if (typeof port.sender.url !== "string" || !port.sender.url.startsWith(POPUP)) return;
    clients += 1;
    const client = `popup-${clients}`;
    ports.set(client, port);
    counted();
    port.onMessage.addListener((message) => {
      if (!Number.isSafeInteger(message?.id) || typeof message.text !== "string") return;
      toSandbox({ type: "handle", client, id: message.id, text: message.text });
    });
    port.onDisconnect.addListener(() => {
      ports.delete(client);
      counted();
      toSandbox({ type: "close", client });
    });
    if (engine) port.postMessage({ type: "engine", ...engine });
    else if (failed) port.postMessage({ type: "failed", error: failed });
  });

  frame.src = "sandbox.html";
  frame.title = "simexit";
  document.body.append(frame);
})();
