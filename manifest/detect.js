// Which carrier, and which kind of account page, a URL belongs to: a line-by-line port of
// py/simexit/detect.py, fed by data/detect.json, which the build writes from carriers/*.toml. The
// rules live in Python; this copy exists because the service worker cannot run Python.
// tests/test_extension_detect.py runs both on every page example, every lookalike, a list of tricky
// URLs and a few thousand generated ones, and fails on any difference.
// It reads URLs with plain ASCII string operations, as detect.py does, not with `new URL()`: the
// browser's parser also decodes %-escapes and IDNA in hosts and resolves "/../" in paths, which
// Python would then have to copy exactly; both refuse such hosts instead (see detect.py).
// Loaded by the service worker (importScripts), the Firefox background page and the tests (node).
"use strict";

(function (root) {
  // A DNS name in lowercase ASCII: labels of letters, digits and inner hyphens, at least two labels.
  const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/;
  // Browsers trim C0 controls and spaces (U+0000-U+0020) from both ends, no other whitespace (trim()
  // would also take U+00A0, U+FEFF...).
  // eslint-disable-next-line no-control-regex -- matching C0 controls is the point
  const C0_OR_SPACE = /^[\x00-\x20]+|[\x00-\x20]+$/g;
  const TAB_OR_NEWLINE = /[\t\n\r]/g; // browsers drop these anywhere in a URL
  const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
  // Not a browser rule: an address pasted without its scheme ("t-mobile.com/account") is read as
  // https. Checked before the scheme, or "t-mobile.com:8080/x" would be the scheme "t-mobile.com".
  const BARE_HOST = /^[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/\\?#]|$)/;
  const PORT = /^[0-9]*$/;

  // ASCII-only lowercasing, like detect._lower (toLowerCase() also maps non-ASCII letters).
  const lower = (text) => text.replace(/[A-Z]+/g, (s) => s.toLowerCase());

  function partition(s, sep) {
    const i = s.indexOf(sep);
    return i < 0 ? [s, "", ""] : [s.slice(0, i), sep, s.slice(i + sep.length)];
  }

  /** [host, path#fragment] of an http(s) URL, lowercased, or null if it has no usable host (detect.host_of). */
  function hostOf(url) {
    url = String(url).replace(C0_OR_SPACE, "").replace(TAB_OR_NEWLINE, "");
    if (BARE_HOST.test(url)) url = "https://" + url;
    const scheme = SCHEME.exec(url);
    // Only http and https: javascript:, data:, file:, ftp: are no site.
    if (!scheme || !["http", "https"].includes(lower(scheme[1]))) return null;
    const rest = url.slice(scheme[0].length);
    // The fragment starts at the first #, the query at the first ? before it; the path ends at either.
    let [before, hashSign, fragment] = partition(rest, "#");
    before = partition(before, "?")[0];
    // In http(s) URLs \ is /, before the query; any run of slashes after the scheme is skipped.
    before = before.replaceAll("\\", "/").replace(/^\/+/, "");
    const [authority, slash, path] = partition(before, "/");
    // User-info ends at the LAST @ of the authority.
    const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
    // An IPv6 address in brackets is never a carrier's host; a [ or ] anywhere else is no host.
    if (hostPort.includes("[") || hostPort.includes("]")) return null;
    let [host, , port] = partition(hostPort, ":");
    // A port must be ASCII digits, at most 65535 (leading zeros are fine).
    if (!PORT.test(port) || port.replace(/^0+/, "").length > 5 || Number(port || "0") > 65535) {
      return null;
    }
    // Case-insensitive; one trailing dot is the DNS root.
    host = lower(host);
    if (host.endsWith(".")) host = host.slice(0, -1);
    if (!HOST.test(host)) return null; // empty labels, %-escapes, non-ASCII, IP addresses...
    let target = lower(slash + path) || "/";
    if (hashSign && fragment) target += "#" + lower(fragment);
    return [host, target];
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
