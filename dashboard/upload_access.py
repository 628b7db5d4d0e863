"""Who may deliver through /aanleveren, and where the page sends a file. No ingest code here: the
page imports this, the routes in dashboard/upload.py do the work."""

from __future__ import annotations

from .auth import PROGRAMMATEAM, Viewer
from .security import Forbidden, current_viewer

UPLOAD_PATH = "/_aanleveren/bestand"
# Under /_ so that the steering group's page redirect (dashboard.security) does not apply and the
# refusal in dashboard/upload.py is a plain 403.
TEMPLATE_PREFIX = "/_aanleveren/sjabloon"


def may_upload(viewer: Viewer | None) -> bool:
    """No login (local use) and the programme team for any proeftuin, a proeftuin for its own."""
    return viewer is None or viewer.role == PROGRAMMATEAM or viewer.proeftuin is not None


def uploader() -> Viewer | None:
    """The viewer of this request if they may deliver; raises Forbidden otherwise."""
    viewer = current_viewer()
    if not may_upload(viewer):
        raise Forbidden("deze rol levert niet aan")
    return viewer


def own_proeftuin(viewer: Viewer | None) -> str | None:
    """The one proeftuin this viewer delivers for; None: any."""
    return viewer.proeftuin if viewer is not None else None
