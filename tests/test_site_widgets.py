"""The widgets' HTML manager of the website: fetched once, checked, served with the site."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import nbformat
import pytest

from course_utils.build import site_widgets


def _tarball(tmp_path, members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path = tmp_path / "html-manager.tgz"
    path.write_bytes(buffer.getvalue())
    return path.as_uri(), base64.b64encode(hashlib.sha512(buffer.getvalue()).digest()).decode()


GOOD = {"package/dist/embed.js": "draw();", "package/dist/embed.js.LICENSE.txt": "MIT and BSD", "package/README.md": "x"}


def test_the_manager_is_fetched_checked_and_then_reused_from_the_cache(tmp_path):
    url, sha512 = _tarball(tmp_path, GOOD)
    folder = site_widgets.html_manager(tmp_path / "cache", url, sha512)
    assert folder is not None and (folder / "embed.js").read_text() == "draw();"
    assert sorted(path.name for path in folder.iterdir()) == ["embed.js", "embed.js.LICENSE.txt"]
    assert site_widgets.html_manager(tmp_path / "cache", "file:///nowhere.tgz", sha512) == folder  # no second download


@pytest.mark.parametrize("problem", ["hash", "missing member", "no network"])
def test_a_bad_download_leaves_nothing_and_says_where_the_pages_load_it_from(tmp_path, capsys, problem):
    url, sha512 = _tarball(tmp_path, GOOD if problem != "missing member" else {"package/dist/embed.js": "draw();"})
    if problem == "hash":
        sha512 = base64.b64encode(hashlib.sha512(b"another file").digest()).decode()
    if problem == "no network":
        url = (tmp_path / "absent.tgz").as_uri()
    assert site_widgets.html_manager(tmp_path / "cache", url, sha512) is None
    assert "unpkg.com" in capsys.readouterr().out
    cache = tmp_path / "cache"
    assert not cache.exists() or not any(cache.iterdir())  # no half-unpacked folder taken for good later


def test_pages_with_widget_state_load_the_local_manager(tmp_path, monkeypatch):
    nbconvert2 = pytest.importorskip("mkdocs_jupyter.nbconvert2", reason="the site generator is missing")
    url, sha512 = _tarball(tmp_path, GOOD)
    docs, config_dir = tmp_path / "docs", tmp_path / "jupyter"
    assert site_widgets.add_html_manager(docs, config_dir, tmp_path / "cache", url, sha512)
    assert (docs / site_widgets.SITE_FOLDER / "embed.js").is_file()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("slider")])
    notebook.metadata["widgets"] = {site_widgets.WIDGET_STATE: {"state": {"1": {"model_name": "IntSliderModel"}}}}
    path = tmp_path / "page.ipynb"
    nbformat.write(notebook, path)
    assert site_widgets.has_widget_state(path)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config_dir))
    html = nbconvert2.nb2html(str(path))
    assert site_widgets.PAGE_URL in html and "unpkg.com" not in html
