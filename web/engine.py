"""The engine behind the page and the popup: simexit's sessions, answering the shell's messages.

PyScript runs this in a worker on the static page (web/boot.js), so Python never holds up the page's
main thread; the extension runs it in its engine page, which serves every open popup. Each caller
(`client`) has its own session. Messages and effects are JSON text: see simexit.session."""

import json

from simexit import catalog as catalog_mod
from simexit.session import Session

with open("carriers.json", encoding="utf-8") as f:  # fetched from data/ by PyScript "files"
    CATALOG = catalog_mod.Catalog.from_json(f.read())
catalog_mod.use(CATALOG)
sessions = {}


def handle(client, text):
    """One message from `client`'s shell; the effects, as JSON text. "start" begins a new session."""
    message = json.loads(text)
    if message.get("type") == "start":
        sessions[client] = Session(CATALOG, message)
    session = sessions.get(client)
    effects = session.handle(message) if session else []
    return json.dumps(effects, ensure_ascii=False)


def close(client):
    """The caller has gone (a popup closed): forget its session."""
    sessions.pop(client, None)


__export__ = ["handle", "close"]
