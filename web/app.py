"""The page's Python: the bundled carrier data -> one assessment -> text. Proves the offline pipeline."""

import json

from pyscript import document, window

from simexit import catalog
from simexit.assess import assess
from simexit.models import Situation
from simexit.render import to_text

with open("carriers.json", encoding="utf-8") as f:  # fetched by PyScript "files" from data/
    cat = catalog.Catalog.from_bundle(json.load(f))
catalog.use(cat)

situation = Situation(carrier="tmobile", plan="postpaid", keep_number=True)
result = assess(cat.get("tmobile"), situation, cat.common)
document.querySelector('[data-testid="checklist"]').textContent = to_text(result)

root = document.documentElement.dataset
root.pyBootMs = str(round(window.performance.now()))  # navigation start -> Python result
root.pyReady = "true"
