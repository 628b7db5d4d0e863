"""The background warm-up of a serving process (dashboard/warm.py)."""

from __future__ import annotations

from dashboard import figuredata, warm
from dashboard.app import create_app


def test_warm_once_draws_every_page_and_fills_the_cache(demo_store, monkeypatch, caplog):
    app = create_app(demo_store)
    figuredata.clear_cache()
    paths = warm.page_paths()
    assert "/" in paths and "/proeftuin/zeeland" in paths and "/proeftuin/<code>" not in paths
    assert len([p for p in paths if p.startswith("/proeftuin/")]) == 11
    warm.warm_once(app)
    assert not [r for r in caplog.records if "mislukt" in r.getMessage()]
    cached = {figure for figure, _ in figuredata.cached_figures()}
    assert {"kpi-programma", "instroom-per-tranche", "cumulatief-naar-leeftijd", "leidraad-check"} <= cached


def test_warm_up_can_be_switched_off(demo_store, monkeypatch):
    monkeypatch.setenv("MONITOR_WARM", "0")
    assert warm.start(create_app(demo_store), demo_store) is None
