"""Roles checked by what the server returns, not by how a request is built.

- Every registry query, as a proeftuin user sees it: no row names another proeftuin, in any
  column (a code or a name), under the default filters, a tranche, or the user's own selection.
- The overview of a proeftuin user shows its own deliveries and says plainly that it does not
  see those of the others; it never calls them "niet geleverd".

On the fictitious demo store (every proeftuin, every kind of delivery).
"""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard import reference, registry
from dashboard.app import create_app
from dashboard.auth import viewer
from dashboard.figuredata import Filters, figure_data
from dashboard.security import NotForRole

OWN = "flevoland"  # tranche 2
PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."


def _cells(value):
    """The texts in a cell; a list cell (an array from DuckDB) gives each of its elements."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _cells(v)


def _others() -> set[str]:
    """Every way a cell can name another proeftuin: its code and its name."""
    return {x for p in reference.proeftuinen() if p.code != OWN for x in (p.code, p.naam)}


@pytest.mark.parametrize("filters", [Filters(), Filters(tranche=2), Filters(proeftuinen=(OWN,))],
                         ids=["alles", "tranche-2", "eigen"])
def test_no_query_returns_a_row_of_another_proeftuin_to_a_proeftuin_user(demo_store, filters):
    others = _others()
    user = viewer("fleur", f"proeftuin:{OWN}")
    shown = 0
    for indicator in registry.load_registry().values():
        try:
            df = figure_data(indicator.id, filters, data_dir=demo_store, viewer=user).df
        except NotForRole:
            continue  # not shown to this role at all
        for column in df.columns:
            leaked = {c for value in df[column] for c in _cells(value) if c in others}
            assert not leaked, f"{indicator.id}.{column} noemt {sorted(leaked)[:3]}"
        shown += not df.empty
    # Not vacuous: most figures have rows for this user (its own, or aggregates).
    assert shown >= 15, shown


def test_the_profile_query_is_scoped_like_every_other(demo_store):
    """proeftuin-profiel named its code column 'code', so it was not recognised as per proeftuin."""
    everyone = figure_data("proeftuin-profiel", Filters(), data_dir=demo_store).df
    own = figure_data("proeftuin-profiel", Filters(), data_dir=demo_store,
                      viewer=viewer("fleur", f"proeftuin:{OWN}")).df
    assert len(everyone) == 11 and own["proeftuin"].tolist() == [OWN]


def _component(tree, class_name: str):
    """The first component in a Dash JSON tree whose className holds `class_name`."""
    if isinstance(tree, dict):
        if class_name in str(tree.get("props", {}).get("className", "")).split():
            return tree
        tree = list(tree.values())
    if isinstance(tree, list):
        for item in tree:
            found = _component(item, class_name)
            if found is not None:
                return found
    return None


@pytest.fixture
def header_app(demo_store, tmp_path, monkeypatch):
    """The app with login through a trusted proxy (the test client's 127.0.0.1), on a copy of
    the demo store (logins are recorded in its audit log)."""
    data_dir = tmp_path / "store"
    shutil.copytree(demo_store, data_dir)
    for name, value in {"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": "r" * 40,
                        "MONITOR_TRUSTED_PROXIES": "127.0.0.1"}.items():
        monkeypatch.setenv(name, value)
    app = create_app(data_dir)
    app.server.test_client().get("/healthz")
    return app


def _overview(app, role: str) -> str:
    body = {"output": PAGES_OUTPUT,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    r = app.server.test_client().post("/_dash-update-component", json=body,
                                      headers={"X-Remote-User": "iemand", "X-Remote-Role": role})
    assert r.status_code == 200
    return json.dumps(r.get_json(), ensure_ascii=False)


def test_a_proeftuin_users_overview_says_what_it_does_not_see(header_app):
    from dashboard.pages.overzicht import OTHER_PROEFTUINEN_HIDDEN  # a page module: after the app

    text = _overview(header_app, f"proeftuin:{OWN}")
    assert "Flevoland heeft casussen geleverd." in text and OTHER_PROEFTUINEN_HIDDEN in text
    assert "niet geleverd" not in text
    table = _component(json.loads(text), "pm-delivery-table")
    assert table is not None
    rows = json.dumps(table, ensure_ascii=False)
    assert '"Flevoland"' in rows  # its own row
    names = {p.naam for p in reference.proeftuinen() if p.code != OWN}
    assert not [n for n in names if f'"{n}"' in rows]  # no other proeftuin has a row
    # The programme team sees every proeftuin, and no such sentence.
    team = _overview(header_app, "programmateam")
    assert OTHER_PROEFTUINEN_HIDDEN not in team and "van de 11 proeftuinen hebben casussen geleverd" in team
