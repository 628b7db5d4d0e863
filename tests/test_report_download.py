"""The slides' "Rapport (HTML)" button: the report for the view's filters, scoped to the person
asking exactly as the pages are, recorded in the audit log; the steering group gets neither
button nor file. One browser test presses it with the keyboard and finds the file downloaded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard import audit
from dashboard.app import create_app
from tests.browser import axe_violations, blocking, wait_drawn, wait_for_file, wait_until
from tests.test_report import store_dir  # noqa: F401 - the store fixture: Flevoland 3 cases, Zeeland 12
from tests.test_security import SECRET, client_from, create_app_with, page_body, proxy

TRUSTED = "10.0.0.5"
SPREAD_FIGURE = "kpi-per-proeftuin-tranche"


def download_body(search: str) -> dict:
    """The callback request dash-renderer sends when the button is pressed."""
    return {
        "output": "rapport-download.data",
        "outputs": {"id": "rapport-download", "property": "data"},
        "inputs": [{"id": "rapport-knop", "property": "n_clicks", "value": 1}],
        "state": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["rapport-knop.n_clicks"],
    }


@pytest.fixture(scope="module")
def header_app(store_dir):  # noqa: F811 - the fixture imported above
    app = create_app_with(store_dir, {"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET,
                                      "MONITOR_TRUSTED_PROXIES": TRUSTED})
    app.server.test_client().get("/healthz")  # Dash registers its callbacks on the first request
    return app


def spread_proeftuinen(report_html: str) -> set[str]:
    """The proeftuinen drawn in the spread of the key figures (one dot per proeftuin)."""
    start = report_html.index(f'data-figuur="{SPREAD_FIGURE}"')
    spec = re.search(r'<script type="application/json">(.*?)</script>', report_html[start:]).group(1)
    return {point[0] for trace in json.loads(spec)["figure"]["data"] for point in trace.get("customdata") or []}


def test_each_role_gets_the_report_it_may_see_and_it_is_audited(header_app, store_dir):  # noqa: F811
    client = client_from(header_app, TRUSTED)
    seen = {}
    for user, role in (("anna", "programmateam"), ("zeeuw", "proeftuin:zeeland")):
        r = client.post("/_dash-update-component", json=download_body("?presentatie=1"), headers=proxy(user, role))
        assert r.status_code == 200
        data = r.get_json()["response"]["rapport-download"]["data"]
        assert data["filename"] == "rapport-stuurgroep_alle_peildatum-2024-06-30.html"
        seen[user] = data["content"]
    # The programme team sees both proeftuinen; Zeeland's own user only Zeeland's dot.
    assert spread_proeftuinen(seen["anna"]) == {"Flevoland", "Zeeland"}
    assert spread_proeftuinen(seen["zeeuw"]) == {"Zeeland"}
    assert "door zeeuw (" in seen["zeeuw"] and "<dt>Weergave</dt>" in seen["zeeuw"]
    assert "door anna (" in seen["anna"] and "<dt>Weergave</dt>" not in seen["anna"]
    entries = [e for e in audit.entries(store_dir) if e["gebeurtenis"] == audit.DOWNLOAD]
    assert [(e["gebruiker"], e["figuur"], e["filters"], e["formaat"]) for e in entries[-2:]] == [
        ("anna", "rapport", "", "html"), ("zeeuw", "rapport", "", "html")]


def test_a_proeftuin_cannot_ask_for_another_proeftuin(header_app):
    client = client_from(header_app, TRUSTED)
    r = client.post("/_dash-update-component", json=download_body("?proeftuinen=flevoland&presentatie=1"),
                    headers=proxy("zeeuw", "proeftuin:zeeland"))
    assert r.status_code == 403


def test_the_steering_group_gets_no_button_and_no_file(header_app, store_dir):  # noqa: F811
    client = client_from(header_app, TRUSTED)
    before = len(list(audit.entries(store_dir)))
    page = client.post("/_dash-update-component", json=page_body("/presentatie", "?presentatie=1"),
                       headers=proxy("sg", "stuurgroep"))
    assert page.status_code == 200 and "Dia 1 van 6" in page.text and "rapport-knop" not in page.text
    shown = client.post("/_dash-update-component", json=page_body("/presentatie", "?presentatie=1"),
                        headers=proxy("anna", "programmateam"))
    assert "rapport-knop" in shown.text and "Rapport (HTML)" in shown.text
    refused = client.post("/_dash-update-component", json=download_body("?presentatie=1"),
                          headers=proxy("sg", "stuurgroep"))
    assert refused.status_code == 403
    assert audit.DOWNLOAD not in [e["gebeurtenis"] for e in list(audit.entries(store_dir))[before:]]


@pytest.mark.browser
def test_the_button_downloads_the_report_by_keyboard(dash_duo, store_dir):  # noqa: F811
    dash_duo.start_server(create_app(store_dir))
    dash_duo.driver.get(f"{dash_duo.server_url}/presentatie?tranche=1&presentatie=1")
    dash_duo.wait_for_element("#rapport-knop", timeout=20)
    wait_drawn(dash_duo)
    button = dash_duo.find_element("#rapport-knop")
    assert button.tag_name == "button" and button.text == "Rapport (HTML)"
    assert dash_duo.driver.execute_script("return arguments[0].tabIndex;", button) == 0
    button.send_keys(Keys.ENTER)  # a keyboard press, not a mouse click
    name = "rapport-stuurgroep_tranche-1_peildatum-2024-06-30.html"
    text = wait_for_file(Path(dash_duo.download_path) / name, timeout=60).decode("utf-8")
    assert "<h1>Rapport voor de stuurgroep</h1>" in text
    assert "<dt>Filters</dt><dd>tranche 1 · alle proeftuinen · alle kwartalen</dd>" in text
    last = wait_until(lambda: [e for e in audit.entries(store_dir) if e["gebeurtenis"] == audit.DOWNLOAD][-1:])
    assert (last[0]["figuur"], last[0]["filters"], last[0]["formaat"]) == ("rapport", "tranche=1", "html")
    assert blocking(axe_violations(dash_duo)) == []
    assert dash_duo.get_logs() in ([], None)
