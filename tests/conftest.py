"""Shared fixtures. Browser tests use dash[testing]'s `dash_duo` with Debian's chromium."""

from __future__ import annotations

import socket

import pytest
from selenium.webdriver.chrome.options import Options


def pytest_setup_options():
    """Chrome options for dash_duo: a real window, and nothing that phones home offline."""
    options = Options()
    options.add_argument("--window-size=1280,1024")
    options.add_argument("--disable-background-networking")
    options.add_argument("--disable-component-update")
    options.add_argument("--no-first-run")
    return options


@pytest.fixture(autouse=True)
def _free_port_for_dash_duo():
    """dash_duo counts ports up from 58050 in every process; two test runs on one machine (two
    checkouts, or CI next to a developer) would then serve on each other's port. Start each
    test's count at a port the system just handed out as free."""
    from dash.testing.application_runners import BaseDashRunner

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        BaseDashRunner._next_port = s.getsockname()[1]
    yield


@pytest.fixture(autouse=True)
def _fresh_dash_callbacks():
    """Pages register callbacks globally; start and end every test with empty global lists."""
    from dash import _callback

    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()
    yield
    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    """A store filled once per session with the fictitious demo set."""
    from dashboard.demo_load import ensure_demo

    data_dir = tmp_path_factory.mktemp("demo-store")
    ensure_demo(data_dir)
    return data_dir
