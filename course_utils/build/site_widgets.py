"""The widgets' HTML manager for the website: widget states drawn from the site, not from a CDN.

An executed notebook keeps the last state of its widgets (the latent explorer of 10, tqdm's
progress bars of 13). MkDocs-jupyter's page loads Jupyter's HTML manager to draw them, from
unpkg.com by default: a page viewed offline would then show console errors and no widget. The
build fetches that script once, as the npm registry publishes it (pinned version and sha512),
keeps it in the site cache, and serves it with the site. Without network and without a cached
copy the pages keep the unpkg address (the widgets then draw when the page is viewed online) and
the build says so in one line.

Example:
    >>> renderer_config("../assets/widgets/embed.js")["HTMLExporter"]["widget_renderer_url"]
    '../assets/widgets/embed.js'
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import nbformat

VERSION = "1.0.15"
TARBALL_URL = f"https://registry.npmjs.org/@jupyter-widgets/html-manager/-/html-manager-{VERSION}.tgz"
# npm's "integrity" of that tarball (`npm view @jupyter-widgets/html-manager@1.0.15 dist.integrity`)
SHA512 = "5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="
# The self-contained bundle (no RequireJS needed) and the licences of what it bundles; the
# package itself is BSD-3-Clause (Project Jupyter).
MEMBERS = {"package/dist/embed.js": "embed.js", "package/dist/embed.js.LICENSE.txt": "embed.js.LICENSE.txt"}
SITE_FOLDER = "assets/widgets"
PAGE_URL = f"../{SITE_FOLDER}/embed.js"  # lesson pages live in notebooks/
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def has_widget_state(path: Path) -> bool:
    """Whether an executed notebook stored the state of any widget.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.ipynb"
        >>> nbformat.write(nbformat.v4.new_notebook(), path)
        >>> has_widget_state(path)
        False
    """
    metadata = nbformat.read(path, as_version=4).metadata
    return bool(metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state"))


def renderer_config(url: str) -> dict[str, dict[str, str]]:
    """nbconvert's setting that makes pages load the HTML manager from ``url``."""
    return {"HTMLExporter": {"widget_renderer_url": url}}


def _verified(tarball: bytes, url: str, sha512: str) -> bytes:
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != sha512:
        raise ValueError(f"the download from {url} has sha512 {digest[:16]}..., not the pinned {sha512[:16]}...")
    return tarball


def html_manager(cache_dir: Path, url: str = TARBALL_URL, sha512: str = SHA512) -> Path | None:
    """The folder holding ``embed.js`` (cached, or fetched now and checked), or ``None`` with a message.

    Nothing half-written is left behind: the files are unpacked into a temporary folder that
    is renamed into place only when complete.
    """
    folder = Path(cache_dir) / f"html-manager-{VERSION}"
    if all((folder / name).is_file() for name in MEMBERS.values()):
        return folder
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - a pinned https address
            tarball = _verified(response.read(), url, sha512)
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".html-manager-", dir=folder.parent))
        try:
            with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
                for member, name in MEMBERS.items():
                    source = archive.extractfile(member)
                    if source is None:
                        raise ValueError(f"{member} is missing from {url}")
                    (scratch / name).write_bytes(source.read())
            shutil.rmtree(folder, ignore_errors=True)
            scratch.rename(folder)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    except (OSError, ValueError, KeyError, tarfile.TarError) as error:
        print(f"Widgets: cannot fetch Jupyter's HTML manager ({error}); pages load it from unpkg.com when viewed online.")
        return None
    return folder


def add_html_manager(docs: Path, config_dir: Path, cache_dir: Path, url: str = TARBALL_URL, sha512: str = SHA512) -> bool:
    """Copy the HTML manager into the site's ``docs/`` and point nbconvert's pages at it.

    Writes ``jupyter_nbconvert_config.json`` into ``config_dir``; run MkDocs with
    ``JUPYTER_CONFIG_DIR=config_dir`` so that mkdocs-jupyter's nbconvert reads it. Returns
    whether the pages will load the local copy.
    """
    folder = html_manager(cache_dir, url, sha512)
    if folder is None:
        return False
    shutil.copytree(folder, docs / SITE_FOLDER, dirs_exist_ok=True)
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "jupyter_nbconvert_config.json").write_text(json.dumps(renderer_config(PAGE_URL), indent=2), encoding="utf-8")
    return True
