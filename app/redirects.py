"""Where a form may send the person next (`next=`): a path on this box, never another site.

Browsers read `//host`, `///host`, `/\\host`, `\\\\host` and `/<tab>/host` as another
host, and drop tabs and newlines anywhere in a URL, so anything but a plain local path is
refused whole rather than cleaned up."""

from urllib.parse import urlsplit

_MAX_LENGTH = 512


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site (with its query), else None."""
    if not target or len(target) > _MAX_LENGTH or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return target
