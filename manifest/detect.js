// Which carrier, and which kind of account page, a URL belongs to: the JavaScript twin of
// py/simexit/detect.py, fed by data/detect.json, which the build writes from carriers/*.toml. The
// rules live in Python; this copy exists because the service worker cannot run Python.
// The URL is read by the browser's own parser (`new URL()`): it is the truth for what page the tab is
// on, and detect.py writes paths as this parser does (dot segments resolved, %-escapes). A host the
// parser rewrote from what was typed (%-escapes, IDNA, IP addresses) is refused, as detect.py, which
// cannot copy IDNA, refuses it: refusing can only miss a page, never name a wrong carrier.
// tests/test_extension_detect.py runs both on every page example, every lookalike, a list of tricky
// URLs and a few thousand generated ones, and fails on any difference.
// Loaded by the service worker (importScripts), the Firefox background page and the tests (node).
"use strict";

(function (root) {
  // A DNS name in lowercase ASCII: labels of letters, digits and inner hyphens, at least two labels.
  const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/;
  // Browsers trim C0 controls and spaces (U+0000-U+0020) from both ends and drop tab and newline
  // anywhere; done here too, before the bare-host check.
  // eslint-disable-next-line no-control-regex -- matching C0 controls is the point
  const C0_OR_SPACE = /^[\x00-\x20]+|[\x00-\x20]+$/g;
  const TAB_OR_NEWLINE = /[\t\n\r]/g;
  // Not a browser rule: an address pasted without its scheme ("t-mobile.com/account") is read as
  // https. Checked before the scheme, or "t-mobile.com:8080/x" would be the scheme "t-mobile.com".
  const BARE_HOST = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/\\?#]|$)/;
  // The host as typed: after the scheme and any / or \, up to the first / \ ? or #, after the last @,
  // before a colon.
  const TYPED_HOST = /^[^:]*:[/\\]*(?:[^/\\?#]*@)?([^/\\?#:]*)/;

  // ASCII-only lowercasing, like detect._lower (toLowerCase() turns the Kelvin sign into k).
  const lower = (text) => text.replace(/[A-Z]+/g, (s) => s.toLowerCase());

  /** [host, path#fragment] of an http(s) URL, lowercased, or null if it has no usable host (detect.host_of). */
  function hostOf(text) {
    text = String(text).replace(C0_OR_SPACE, "").replace(TAB_OR_NEWLINE, "");
    if (BARE_HOST.test(text)) text = "https://" + text;
    let url;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    // Only http and https: javascript:, data:, file:, ftp: are no site.
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    // Refused: a host the parser rewrote from what was typed (beyond its case) or an IPv6 address.
    if (lower(TYPED_HOST.exec(text)[1]) !== url.hostname) return null;
    const host = url.hostname.replace(/\.$/, ""); // one trailing dot is the DNS root
    if (!HOST.test(host)) return null; // empty labels, IPv4 addresses, _...
    // Single-page apps route on the fragment (/app#/bills). Both are ASCII once the parser has
    // %-escaped them.
    return [host, (url.pathname + url.hash).toLowerCase()];
  }

  const globs = new Map();
  // A page path pattern: * matches anything, everything else itself.
  function glob(pattern) {
    let re = globs.get(pattern);
    if (!re) {
      const body = pattern
        .split("*")
        .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[\\s\\S]*");
      re = new RegExp(`^(?:${body})$`);
      globs.set(pattern, re);
    }
    return re;
  }

  function within(host, domain) {
    return host === domain || host.endsWith("." + domain);
  }

  /**
   * {carrier, page, domain} or null, like detect.detect; `index` is data/detect.json. `domain` is the
   * official domain the host is under (the unit of the overlay's per-site switch).
   */
  function detect(index, url, title) {
    const parsed = hostOf(url);
    if (!parsed) return null;
    const [host, target] = parsed;
    for (const carrier of index.carriers) {
      const domain = carrier.domains.find((d) => within(host, d));
      if (!domain) continue;
      for (const page of carrier.pages) {
        if (page.host !== host || !glob(page.path).test(target)) continue;
        if (page.title && (title == null || !title.toLowerCase().includes(page.title.toLowerCase()))) {
          continue;
        }
        return { carrier: carrier.id, page: page.kind, domain };
      }
      return { carrier: carrier.id, page: null, domain };
    }
    return null;
  }

  root.simexitDetect = { detect, hostOf };
})(globalThis);
