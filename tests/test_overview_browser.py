"""The app shell's routes without a browser: security headers, health check, local assets.

The Overzicht page in the browser is tested in tests/test_shell_browser.py.
"""

from __future__ import annotations

from dashboard.app import create_app


def test_security_headers_and_health(demo_store):
    client = create_app(demo_store).server.test_client()
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["X-Frame-Options"] == "DENY"
    health = client.get("/healthz")
    assert (health.status_code, health.get_data(as_text=True)) == (200, "ok")


def test_health_without_snapshot(tmp_path):
    client = create_app(tmp_path / "leeg").server.test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/").status_code == 200


def test_assets_served_locally(demo_store):
    client = create_app(demo_store).server.test_client()
    html = client.get("/").get_data(as_text=True)
    for asset in ("bootstrap.min.css", "app.css", "components.css", "plotly-locale-nl.js", "presentatie.js"):
        assert f"/assets/{asset}" in html
    assert "cdn." not in html and "unpkg.com" not in html
    css = client.get("/assets/bootstrap.min.css").get_data(as_text=True)
    assert "sourceMappingURL" not in css
