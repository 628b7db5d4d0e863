"""Proeftuinmonitor: monitoring dashboard of the Toekomstscenario kind- en gezinsbescherming."""

__version__ = "0.1.0"
