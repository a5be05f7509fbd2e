// Which carrier, and which kind of account page, a URL belongs to: a line-by-line port of
// py/simexit/detect.py (and of the parts of CPython's urllib.parse and ipaddress it relies on), fed by
// data/detect.json, which the build writes from carriers/*.toml. The rules live in Python; this copy
// exists because the service worker cannot run Python. tests/test_extension_detect.py runs both on
// every page example, every lookalike and a list of tricky URLs, and fails on any difference.
// Loaded by the service worker (importScripts), the Firefox background page and the tests (node).
"use strict";

(function (root) {
  // str.strip(): Python's whitespace, not JavaScript's (which has \ufeff and lacks \x1c-\x1f, \x85).
  const PY_SPACE = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  const STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, "g");
  const STRIPPED = /[\t\n\r]/g; // browsers drop these anywhere in a URL
  // "t-mobile.com/account"; Python's re.IGNORECASE and \d are Unicode-aware, hence the u flag and \p{Nd}.
  const BARE_HOST = /^[a-z0-9.-]+(?::\p{Nd}+)?(?:[/?#]|$)/iu;
  const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/;
  const SCHEME_CHARS = /^[A-Za-z0-9+\-.]*$/;

  class ParseError extends Error {}

  function partition(s, sep) {
    const i = s.indexOf(sep);
    return i < 0 ? [s, "", ""] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  }

  function rpartition(s, sep) {
    const i = s.lastIndexOf(sep);
    return i < 0 ? ["", "", s] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  }

  // ipaddress.ip_address, as far as urlsplit's bracket check needs it.
  function ipv4(s) {
    const octets = s.split(".");
    if (!s || octets.length !== 4) return false;
    return octets.every(
      (o) => /^[0-9]{1,3}$/.test(o) && !(o !== "0" && o[0] === "0") && Number(o) <= 255,
    );
  }

  function ipv6(s) {
    if (s.includes("/")) return false;
    const [addr, sep, scope] = partition(s, "%");
    if (sep && (!scope || scope.includes("%"))) return false;
    if (!addr) return false;
    let parts = addr.split(":");
    if (parts.length < 3) return false;
    if (parts[parts.length - 1].includes(".")) {
      if (!ipv4(parts.pop())) return false;
      parts = [...parts, "0", "0"];
    }
    if (parts.length > 9) return false;
    let skip = null;
    for (let i = 1; i < parts.length - 1; i++) {
      if (!parts[i]) {
        if (skip !== null) return false;
        skip = i;
      }
    }
    let hi;
    let lo;
    if (skip !== null) {
      hi = skip;
      lo = parts.length - skip - 1;
      if (!parts[0] && --hi) return false;
      if (!parts[parts.length - 1] && --lo) return false;
      if (8 - (hi + lo) < 1) return false;
    } else {
      if (parts.length !== 8 || !parts[0] || !parts[parts.length - 1]) return false;
      hi = parts.length;
      lo = 0;
    }
    const used = [...parts.slice(0, hi), ...parts.slice(parts.length - lo)];
    return used.every((h) => /^[0-9a-fA-F]{0,4}$/.test(h) && h !== "");
  }

  function checkBracketedHost(host) {
    if (host.startsWith("v")) {
      if (!/^v[a-fA-F0-9]+\.[^\n]+$/.test(host)) throw new ParseError("IPvFuture");
    } else if (ipv4(host) || !ipv6(host)) {
      throw new ParseError("bracketed host");
    }
  }

  function checkNetloc(netloc) {
    if (!netloc || /^[\x00-\x7f]*$/.test(netloc)) return;
    const n = netloc.replace(/[@:#?]/g, "");
    const nfkc = n.normalize("NFKC");
    if (n === nfkc) return;
    if (/[/?#@:]/.test(nfkc)) throw new ParseError("netloc changes under NFKC");
  }

  // urllib.parse.urlsplit (CPython 3.11)
  function urlsplit(url) {
    url = url.replace(/^[\x00-\x20]+/, "");
    let scheme = "";
    let netloc = "";
    let query = "";
    let fragment = "";
    const i = url.indexOf(":");
    if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
      scheme = url.slice(0, i).toLowerCase();
      url = url.slice(i + 1);
    }
    if (url.startsWith("//")) {
      let end = url.length;
      for (const c of "/?#") {
        const at = url.indexOf(c, 2);
        if (at >= 0) end = Math.min(end, at);
      }
      netloc = url.slice(2, end);
      url = url.slice(end);
      const open = netloc.includes("[");
      const close = netloc.includes("]");
      if (open !== close) throw new ParseError("Invalid IPv6 URL");
      if (open) checkBracketedHost(partition(partition(netloc, "[")[2], "]")[0]);
    }
    if (url.includes("#")) [url, , fragment] = partition(url, "#");
    if (url.includes("?")) [url, , query] = partition(url, "?");
    checkNetloc(netloc);
    return { scheme, netloc, path: url, query, fragment };
  }

  function hostname(netloc) {
    const hostinfo = rpartition(netloc, "@")[2];
    const [, open, bracketed] = partition(hostinfo, "[");
    const name = open ? partition(bracketed, "]")[0] : partition(hostinfo, ":")[0];
    if (!name) return null;
    const [h, pct, zone] = partition(name, "%");
    return h.toLowerCase() + pct + zone;
  }

  /** [host, path#fragment] of an http(s) URL, or null if it has no usable host (detect.host_of). */
  function hostOf(url) {
    url = String(url).replace(STRIP, "").replace(STRIPPED, "").replaceAll("\\", "/");
    if (BARE_HOST.test(url)) url = "https://" + url;
    let parts;
    let host;
    try {
      parts = urlsplit(url);
      host = hostname(parts.netloc);
    } catch (e) {
      if (e instanceof ParseError) return null;
      throw e;
    }
    if ((parts.scheme !== "http" && parts.scheme !== "https") || !host) return null;
    host = host.replace(/\.+$/, "");
    if (!HOST.test(host)) return null;
    let target = (parts.path || "/").toLowerCase();
    if (parts.fragment) target += "#" + parts.fragment.toLowerCase();
    return [host, target];
  }

  const globs = new Map();
  function glob(pattern) {
    let re = globs.get(pattern);
    if (!re) {
      const body = pattern
        .split("*")
        .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^\\n]*"); // Python's "." stops at a newline only
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
