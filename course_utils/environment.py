"""Where the notebook runs (Colab or not, GPU or CPU, versions, headless or not) and the setup cell's one call,
:func:`start_notebook`: silence, seed, report, start the clock."""

from __future__ import annotations

import logging
import os
import platform
import re
import sys
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from course_utils import checks, config

HEADLESS_VARIABLE = "COURSE_HEADLESS"


def in_colab() -> bool:
    """Return ``True`` inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def is_headless() -> bool:
    """Return ``True`` when nobody is watching: tests, ``build execute``, a plain script.

    ``COURSE_HEADLESS=1`` forces it (the test and build commands set it); otherwise a run
    counts as headless when it is not inside a Jupyter kernel.

    Example:
        >>> isinstance(is_headless(), bool)
        True
    """
    flag = os.environ.get(HEADLESS_VARIABLE, "").strip().lower()
    if flag in ("1", "true", "yes"):
        return True
    if flag in ("0", "false", "no"):
        return False
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return True
    shell = get_ipython()
    return shell is None or not hasattr(shell, "kernel")


def silence_tensorflow() -> None:
    """Import TensorFlow without its start-up log noise, and quiet its loggers afterwards.

    ``TF_CPP_MIN_LOG_LEVEL`` hides most C++ log lines, but a few (the oneDNN notice, absl's
    "before InitializeLog" warning) are written to the process's stderr before TensorFlow
    reads it. Jupyter shows such low-level output in the cell, so the first import runs with
    file descriptor 2 pointed at ``/dev/null``; Python exceptions still propagate.

    Example:
        >>> silence_tensorflow()
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" not in sys.modules:
        _import_with_stderr_muted("tensorflow")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="tensorflow")
    warnings.filterwarnings("ignore", category=UserWarning, module="keras.src.trainers")


def _import_with_stderr_muted(module_name: str) -> None:
    try:
        sys.stderr.flush()
        saved_stderr = os.dup(2)
    except (OSError, ValueError, AttributeError):
        __import__(module_name)
        return
    try:
        with open(os.devnull, "w", encoding="utf-8") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                __import__(module_name)
            finally:
                os.dup2(saved_stderr, 2)
    finally:
        os.close(saved_stderr)


def cpu_name() -> str:
    """Return the CPU model name and its number of cores, e.g. ``"AMD EPYC 7B13 (2 cores)"``.

    Example:
        >>> "cores" in cpu_name()
        True
    """
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    if not model and sys.platform == "darwin":
        import subprocess  # noqa: PLC0415

        try:
            command = ["sysctl", "-n", "machdep.cpu.brand_string"]
            model = subprocess.run(command, capture_output=True, text=True, check=False, timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            model = ""
    model = model or platform.processor() or platform.machine() or "unknown CPU"
    return f"{model} ({os.cpu_count()} cores)"


@lru_cache(maxsize=1)
def gpu_names() -> tuple[str, ...]:
    """Return the names of the GPUs TensorFlow can use (empty on a CPU-only machine).

    Example:
        >>> isinstance(gpu_names(), tuple)
        True
    """
    silence_tensorflow()
    import tensorflow as tf  # noqa: PLC0415

    names = []
    for device in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(device)
        except (ValueError, RuntimeError):
            details = {}
        names.append(details.get("device_name", device.name))
    return tuple(names)


def device_description() -> str:
    """Return what trains the models: the first GPU's name, else the CPU's.

    Example:
        >>> isinstance(device_description(), str)
        True
    """
    gpus = gpu_names()
    if gpus:
        return f"GPU: {gpus[0]}" + (f" (+{len(gpus) - 1} more)" if len(gpus) > 1 else "")
    return f"CPU: {cpu_name()}"


def _version(module_name: str) -> str:
    try:
        module = __import__(module_name)
    except ImportError:
        return "not installed"
    return getattr(module, "__version__", "unknown")


def environment_report() -> dict[str, Any]:
    """Collect the facts a student or instructor needs when something behaves oddly.

    Example:
        >>> report = environment_report()
        >>> sorted(report)[:3]
        ['colab', 'data_dir', 'device']
    """
    silence_tensorflow()
    versions = {name: _version(name) for name in ("tensorflow", "keras", "numpy", "matplotlib", "ipywidgets")}
    return {"python": platform.python_version(), **versions, "gpu": bool(gpu_names()), "device": device_description(),
            "colab": in_colab(), "mode": config.mode(), "data_dir": str(config.data_dir()),
            "results_dir": str(config.results_dir())}


def format_report(report: dict[str, Any]) -> str:
    """Turn :func:`environment_report` into aligned lines of text.

    Example:
        >>> print(format_report({"python": "3.12.1", "gpu": False}))
        python  3.12.1
        gpu     no
    """
    width = max(len(key) for key in report)
    shown = {key: ("yes" if value else "no") if isinstance(value, bool) else value for key, value in report.items()}
    return "\n".join(f"{key.ljust(width)}  {value}" for key, value in shown.items())


NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


@dataclass
class NotebookSession:
    """What :func:`start_notebook` set up; quality checks read the name and the clock."""

    notebook: str
    seed: int
    mode: str
    data_dir: Path
    results_dir: Path
    started: float = field(default_factory=time.perf_counter)

    def elapsed(self) -> float:
        """Seconds since the setup cell ran."""
        return time.perf_counter() - self.started


_current: NotebookSession | None = None


def current_session() -> NotebookSession | None:
    """Return the session started by :func:`start_notebook`, if any.

    Example:
        >>> current_session() is None or current_session().notebook != ""
        True
    """
    return _current


def start_notebook(notebook: str, seed: int | None = None, report: bool = True) -> NotebookSession:
    """Prepare a notebook: quiet TensorFlow, seed everything, print the environment report.

    Args:
        notebook: the notebook's name without extension, e.g. ``"01_sin_gan"``.
        seed: one seed for Python, NumPy and TensorFlow/Keras (``keras.utils.set_random_seed``), from 0
            to 2**32 - 1; by default ``COURSE_SEED`` (42 when it is not set), so a whole course can be
            rerun on another seed.
        report: print the environment report (Python, TensorFlow, Keras, GPU, Colab, mode).

    Raises:
        ValueError: for a name that is not ``NN_words`` or an unusable setting.

    Example:
        >>> session = start_notebook("00_start_here", seed=1, report=False)
        >>> session.notebook, session.seed
        ('00_start_here', 1)
    """
    global _current
    if not isinstance(notebook, str) or not NOTEBOOK_NAME.match(notebook):
        raise ValueError(f"notebook must be the notebook's file name without '.ipynb', like '01_sin_gan'; got {notebook!r}.")
    seed = config.seed() if seed is None else checks.whole_number(seed, "seed", minimum=0)
    if seed >= 2**32:
        raise ValueError(f"seed must be a whole number from 0 to {2**32 - 1}, got {seed}.")
    silence_tensorflow()
    mode = config.mode()
    import keras  # noqa: PLC0415 - imported late so `import course_utils` stays light

    keras.utils.set_random_seed(seed)
    _current = NotebookSession(notebook, seed, mode, config.data_dir(), config.results_dir())
    if report:
        print(format_report({"notebook": notebook, **environment_report(), "seed": seed}))
    return _current
