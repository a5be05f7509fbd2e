"""The engine behind the page and the popup: simexit's sessions, answering the shell's messages.

PyScript runs this in a worker on the static page (web/boot.js), so Python never holds up the page's
main thread; the extension runs it in its engine page, which serves every open popup. Each caller
(`client`) has its own session; messages and effects are JSON text (see simexit.session). When the
interpreter was restored from the build's memory snapshot (runtime/pyodide/restore.mjs), the engine is
already there and this only looks it up."""

from simexit.session import engine_for

with open("carriers.json", encoding="utf-8") as f:  # fetched from data/ by PyScript "files"
    ENGINE = engine_for(f.read())


def handle(client, text):
    """One message from `client`'s shell; the effects, as JSON text."""
    return ENGINE.handle(client, text)


def close(client):
    """The caller has gone (a popup closed): forget its session."""
    ENGINE.close(client)


__export__ = ["handle", "close"]
