"""Text from a delivery or from the store, made safe to print on a terminal."""

from __future__ import annotations

import re

# C0 controls (newline and tab included: a value must not start a line of its own), DEL and C1
# controls. ESC and CSI sequences would otherwise clear the screen or print a fake "OK".
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """`text` with every control character replaced by '?'."""
    return _CONTROL.sub("?", str(text))
