"""Errors that the command line and the web layer name, kept apart from the modules that raise
them so that naming one imports nothing heavy (`python -m dashboard ingest` needs no pandas)."""


class FilterError(ValueError):
    """A filter value that is not a known code; the message is Dutch."""


class NoData(Exception):
    """The store has no snapshot yet."""


class RegistryError(Exception):
    """The indicator registry or a figure id is wrong; the message is Dutch."""
