"""``site``: the course as a static website (MkDocs + Material + mkdocs-jupyter).

The build has three steps:

1. every chosen solution notebook is executed headless, or reused from the cache
   (:mod:`course_utils.build.site_cache`);
2. a MkDocs source folder is written: a home page with the course map, one page per executed
   notebook (with "Open in Colab" and download links, and a note above every interactive
   widget), the benchmark and seeds tables from the README, ``docs/metrics.md``, and the
   student notebooks as downloads (not rendered);
3. ``mkdocs build`` turns it into ``site/``; the old site is replaced only when the build succeeded.
   Pages that kept a widget's state load Jupyter's HTML manager from the site itself
   (:mod:`course_utils.build.site_widgets`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course_utils.build.course_notebooks import CourseNotebook, read_notebook, relative_path
from course_utils.build.settings import COLAB_BADGE_IMAGE, CourseSettings
from course_utils.build.site_cache import CachedNotebook, SiteBuildError, executed_notebooks
from course_utils.build.site_widgets import add_html_manager, has_widget_state

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Cells that show a widget: the reflect() questions, the fake-or-real game, the latent explorer.
WIDGET_CALL = re.compile(r"^\s*(?:\w+\s*=\s*)?(?:reflect\(|\w*(?:game|explorer)\.show\()", re.MULTILINE)
# MathJax 2 from the jupyter-server-mathjax package, served with the site (no CDN); lesson pages live in notebooks/.
MATHJAX_URL = "../assets/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe,local/course"
# The package ships only the STIX-Web fonts: use them. \boxed is drawn with a CSS border
# (MathJax's menclose asks for a TeX font the package lacks).
MATHJAX_CONFIG = (
    'MathJax.Hub.Register.StartupHook("TeX AMSmath Ready", function () {\n'
    '  MathJax.InputJax.TeX.Definitions.Add({macros: {boxed: ["Macro", "\\\\bbox[border:1px solid; padding:3px]{#1}", 1]}});\n'
    '});\n'
    'MathJax.Hub.Config({\n'
    '  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}});\n'
    'MathJax.Ajax.loadComplete("[MathJax]/config/local/course.js");\n'
)
COURSE_MAP_ROW = re.compile(r"^\| (?P<number>\d\d) \| \[(?P<title>[^\]]+)\]\(notebooks/(?P<name>[\w-]+)\.ipynb\) \|")
# A simple "Open in Colab" badge drawn here, so that pages load no image from another site.
COLAB_BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">
<rect width="117" height="20" rx="3" fill="#555"/><rect x="20" width="97" height="20" rx="3" fill="#f9ab00"/>
<rect x="20" width="6" height="20" fill="#f9ab00"/>
<circle cx="8" cy="10" r="4" fill="none" stroke="#f9ab00" stroke-width="2.2"/>
<circle cx="14" cy="10" r="4" fill="none" stroke="#e8710a" stroke-width="2.2"/>
<text x="68" y="14" fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">Open in Colab</text>
</svg>
"""
WIDGET_NOTE = (
    '<div class="admonition note"><p class="admonition-title">Interactive widget: needs a running kernel</p>'
    "<p>In a running notebook the cell below shows an interactive widget (buttons, checkboxes or sliders). "
    "Open the notebook in Colab (link at the top) or with <code>make lab</code> to use it. {static}</p></div>"
)
# matplotlib's animation player draws its buttons with Font Awesome from a CDN; the site draws them itself.
FONT_AWESOME_LINK = re.compile(r'<link rel="stylesheet"\s+href="https://maxcdn\.bootstrapcdn\.com/font-awesome/[^"]*">\s*')
PLAYER_CSS = "\n".join(
    f'.anim-buttons i.fa-{name}::before {{ content: "{glyph}"; font-style: normal; }}'
    for name, glyph in (("fast-backward", "|◀◀"), ("step-backward", "|◀"), ("pause", "❚❚"), ("play", "▶"),
                        ("step-forward", "▶|"), ("fast-forward", "▶▶|"), ("minus", "−"), ("plus", "+"))
) + "\n.anim-buttons i.fa-flip-horizontal { display: inline-block; transform: scaleX(-1); }\n"
STATIC_TEXT = "This page shows what the cell prints when it runs without a screen: the widget's text form."
STATIC_WIDGET = "This page shows the widget as it was when the notebook was executed; it does not react here."


def _markdown_between(text: str, start: str, end: str) -> str:
    """The part of ``text`` from the heading ``start`` up to (not including) the heading ``end``."""
    begin = text.index(start)
    finish = text.index(end, begin) if end in text[begin:] else len(text)
    return text[begin:finish].rstrip() + "\n"


def home_page(readme: str, built: set[str], settings: CourseSettings) -> str:
    """The home page: the README's introduction and its course map, linked to the built pages.

    Example:
        >>> readme = "# T\\n\\nIntro.\\n\\n## Start\\n\\nx\\n\\n## The course map\\n\\n| # | n | w |\\n|---|---|---|\\n" \\
        ...     "| 00 | [a](notebooks/00_a.ipynb) | one |\\n| 01 | [b](notebooks/01_b.ipynb) | two |\\n\\n## Next\\n"
        >>> page = home_page(readme, {"00_a"}, CourseSettings("https://github.com/a/b", "main"))
        >>> "[a](notebooks/00_a.ipynb)" in page, "| 01 | b |" in page
        (True, True)
    """
    intro = readme[: readme.index("\n## ")].rstrip()
    course_map = _markdown_between(readme, "## The course map", "\n## ")
    rows = []
    for line in course_map.splitlines():
        match = COURSE_MAP_ROW.match(line)
        if match and match["name"] not in built:  # not built (a partial preview): no dead link
            line = COURSE_MAP_ROW.sub(lambda m: f"| {m['number']} | {m['title']} |", line)
        rows.append(line)
    return (
        f"{intro}\n\nThe course's source: [{settings.owner_and_name}]({settings.repository}).\n\n"
        "Each lesson page below is the **solution** notebook, executed, with its figures, training "
        "animations and quality check. Run it yourself with the *Open in Colab* link at the top of the page, "
        "or download the student notebook (exercises left for you) from the same place or from "
        "[Downloads](downloads.md).\n\n" + "\n".join(rows) + "\n"
    )


def widget_note(cell: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """A note to put above a code cell that shows an interactive widget, or ``None``.

    Example:
        >>> widget_note(nbformat.v4.new_code_cell("reflect('Why?', ['a', 'b'], answer=0)")) is not None
        True
        >>> widget_note(nbformat.v4.new_code_cell("plt.show()")) is None
        True
    """
    live = any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))
    if not live and not WIDGET_CALL.search(cell.source):
        return None
    return nbformat.v4.new_markdown_cell(WIDGET_NOTE.format(static=STATIC_WIDGET if live else STATIC_TEXT))


def failed_check_count(path: Path) -> int:
    """How many cells of an executed notebook stopped on a failed quality check.

    Example:
        >>> import tempfile
        >>> cell = nbformat.v4.new_code_cell("check()")
        >>> cell.outputs = [nbformat.v4.new_output("error", ename="QualityCheckFailed", evalue="FAIL", traceback=[])]
        >>> path = Path(tempfile.mkdtemp()) / "a.ipynb"
        >>> nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
        >>> failed_check_count(path)
        1
    """
    cells = read_notebook(path).cells
    return sum(output.get("ename") == "QualityCheckFailed" for cell in cells for output in cell.get("outputs", []))


def page_notebook(executed: CachedNotebook, settings: CourseSettings) -> nbformat.NotebookNode:
    """The executed notebook as the site shows it: local Colab badge, links, widget notes."""
    notebook = read_notebook(executed.path)
    lesson = executed.lesson
    solution = relative_path(lesson, student=False)
    links = (
        f"[Open in Colab]({settings.colab_url(solution)}) · "
        f"Download: [student notebook](../downloads/{lesson.name}.ipynb) (exercises to do) · "
        f"[solution](../downloads/solutions/{lesson.name}.ipynb) · "
        f"[solution with these outputs](../downloads/executed/{lesson.name}.ipynb)"
    )
    title = notebook.cells[0]
    title.source = title.source.replace(COLAB_BADGE_IMAGE, "../assets/colab-badge.svg")
    cells = [title, nbformat.v4.new_markdown_cell(links)]
    for cell in notebook.cells[1:]:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if isinstance(html, str) and "font-awesome" in html:
                output["data"]["text/html"] = FONT_AWESOME_LINK.sub("", html)
        note = widget_note(cell) if cell.cell_type == "code" else None
        if note is not None:
            cells.append(note)
        cells.append(cell)
    notebook.cells = cells
    return notebook


def results_page(readme: str) -> str:
    """The README's benchmark and seeds sections (tables and the prose around them)."""
    bench = _markdown_between(readme, "## What a student waits for", "\n## Does it learn")
    seeds = _markdown_between(readme, "## Does it learn for everyone?", "\n## ")
    text = "# Benchmarks and seeds\n\n" + bench + "\n" + seeds
    return re.sub(r"<!-- (bench|seeds):(start|end) -->\n?", "", text)


def downloads_page(lessons: list[CourseNotebook]) -> str:
    """A page listing every student and solution notebook as a download."""
    rows = [
        f"| {lesson.name[:2]} | [{lesson.name}.ipynb](downloads/{lesson.name}.ipynb) | "
        f"[{lesson.name}.ipynb](downloads/solutions/{lesson.name}.ipynb) |"
        for lesson in lessons
    ]
    return (
        "# Downloads\n\nThe student notebooks (exercises left for you to write) and the solution notebooks, "
        "without outputs. Open them with `make lab` in a clone of the course, or upload them to Colab; "
        "they need the course's helper package (`course_utils`), which their setup cell fetches in Colab.\n\n"
        "| # | student notebook | solution |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def mkdocs_config(settings: CourseSettings, lessons: list[CourseNotebook]) -> str:
    """The generated ``mkdocs.yml``: Material theme, search, mkdocs-jupyter for the lesson pages."""
    nav = "\n".join(f"      - 'notebooks/{lesson.name}.ipynb'" for lesson in lessons)
    return f"""site_name: Generative adversarial networks in Keras
site_description: An interactive course on GANs, executed notebooks with their outputs
extra_css: [assets/player.css]
use_directory_urls: false
theme:
  name: material
  font: false
  features: [navigation.sections, navigation.top, search.highlight, content.code.copy]
plugins:
  - search
  - mkdocs-jupyter:
      include: ['notebooks/*.ipynb']
      execute: false
      include_source: false
      ignore_h1_titles: false
      cache: false
      custom_mathjax_url: '{MATHJAX_URL}'
markdown_extensions:
  - tables
  - admonition
  - attr_list
  - toc:
      permalink: true
nav:
  - Home: index.md
  - Lessons:
{nav}
  - Benchmarks and seeds: results.md
  - Quality measures: metrics.md
  - Downloads: downloads.md
"""


def _mathjax_folder() -> Path:
    """MathJax 2 as the ``jupyter-server-mathjax`` package ships it (the ``site`` extra installs it)."""
    try:
        import jupyter_server_mathjax  # noqa: PLC0415
    except ImportError as missing:
        raise SiteBuildError("MathJax is missing: pip install -e '.[site]' (jupyter-server-mathjax)") from missing
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def write_sources(
    source_dir: Path, root: Path, settings: CourseSettings, executed: list[CachedNotebook], every_lesson: list[CourseNotebook]
) -> None:
    """Write the MkDocs project (``mkdocs.yml`` and ``docs/``) for the executed notebooks."""
    docs = source_dir / "docs"
    for folder in ("notebooks", "assets", "downloads/solutions", "downloads/executed"):
        (docs / folder).mkdir(parents=True, exist_ok=True)
    readme = (root / "README.md").read_text(encoding="utf-8")
    built = {item.lesson.name for item in executed}
    (docs / "index.md").write_text(home_page(readme, built, settings), encoding="utf-8")
    (docs / "results.md").write_text(results_page(readme), encoding="utf-8")
    (docs / "downloads.md").write_text(downloads_page(every_lesson), encoding="utf-8")
    (docs / "metrics.md").write_text((root / "docs" / "metrics.md").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(root / "docs" / "images", docs / "images", dirs_exist_ok=True)
    (docs / "assets" / "colab-badge.svg").write_text(COLAB_BADGE_SVG, encoding="utf-8")
    (docs / "assets" / "player.css").write_text(PLAYER_CSS, encoding="utf-8")
    shutil.copytree(_mathjax_folder(), docs / "assets" / "mathjax", dirs_exist_ok=True)
    (docs / "assets" / "mathjax" / "config" / "local").mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "mathjax" / "config" / "local" / "course.js").write_text(MATHJAX_CONFIG, encoding="utf-8")
    for lesson in every_lesson:
        shutil.copyfile(lesson.student_path, docs / "downloads" / f"{lesson.name}.ipynb")
        shutil.copyfile(lesson.solution_path, docs / "downloads" / "solutions" / f"{lesson.name}.ipynb")
    for item in executed:
        shutil.copyfile(item.path, docs / "downloads" / "executed" / f"{item.lesson.name}.ipynb")
        nbformat.write(page_notebook(item, settings), docs / "notebooks" / f"{item.lesson.name}.ipynb")
    lessons = [item.lesson for item in executed]
    (source_dir / "mkdocs.yml").write_text(mkdocs_config(settings, lessons), encoding="utf-8")


def build_site(
    lessons: list[CourseNotebook], every_lesson: list[CourseNotebook], root: Path, settings: CourseSettings,
    output: Path, mode: str, cache_dir: Path,
) -> float:
    """Execute (or reuse) the notebooks and build the website into ``output``; return the seconds taken.

    Raises:
        SiteBuildError: when a notebook fails to execute or MkDocs fails; ``output`` is then untouched.
    """
    started = time.perf_counter()
    executed = executed_notebooks(lessons, root, cache_dir, mode)
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="site-src-") as scratch:
        source_dir = Path(scratch)
        write_sources(source_dir, root, settings, executed, every_lesson)
        # Jupyter settings of this build only: where pages load the widgets' HTML manager from.
        environment = dict(os.environ, JUPYTER_CONFIG_DIR=str(source_dir / "jupyter"))
        if any(has_widget_state(item.path) for item in executed):
            add_html_manager(source_dir / "docs", source_dir / "jupyter", cache_dir)
        staged = output.parent / f".{output.name}.new"
        shutil.rmtree(staged, ignore_errors=True)
        print("▶ mkdocs build ...", flush=True)
        run = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(source_dir / "mkdocs.yml"), "-d", str(staged)],
            capture_output=True, text=True, check=False, env=environment,
        )
        if run.returncode != 0:
            shutil.rmtree(staged, ignore_errors=True)
            raise SiteBuildError(f"mkdocs build failed:\n{run.stderr.strip() or run.stdout.strip()}")
    shutil.rmtree(output, ignore_errors=True)
    staged.replace(output)
    seconds = time.perf_counter() - started
    ran = [item for item in executed if not item.reused]
    print(
        f"\nSite built in {output} in {seconds:.1f} s: {len(executed)} notebook page(s), "
        f"{len(ran)} executed ({sum(item.seconds for item in ran):.1f} s), {len(executed) - len(ran)} reused.",
        flush=True,
    )
    failing = [item.lesson.name for item in executed if failed_check_count(item.path)]
    if failing:
        print(f"Pages that show a FAILED quality check (see each page's banner): {', '.join(failing)}.", flush=True)
    return seconds
