"""Resumable training: save everything a run needs every N steps, and continue from it later.

A checkpoint holds the weights of every model (all their variables, including batch-norm
statistics and the state of Keras ``SeedGenerator``s they own), the optimizers' state (the
step counter and Adam's moments; *not* the learning rate, so a learning rate you change
before rerunning wins), the step, the training history, and the random number generators:
Python's ``random``, NumPy's global generator and any generators you name
(``np.random.Generator``, ``tf.random.Generator``, ``keras.random.SeedGenerator``).

With ``fit()`` the training monitor writes checkpoints at the end of an epoch once ``every``
steps have passed, because ``fit()`` can only resume at an epoch boundary (as with Keras' own
``BackupAndRestore``); use ``steps_per_epoch`` to choose how often that is.

Checkpoints live in ``config.data_dir("checkpoints", name)``, one folder per saved step
(``step-000000500/`` with ``arrays.npz`` and ``state.json``). Each is written into a hidden
temporary folder and renamed into place with ``os.replace`` only when complete, so a crash or
a lost Colab session during a write leaves the previous checkpoint loadable. The newest
``keep`` checkpoints are kept.

Why not Keras' or TensorFlow's own mechanism? ``keras.callbacks.BackupAndRestore`` only works
inside ``fit()`` (not in a hand-written GradientTape loop), saves neither the history nor the
NumPy/Python random state, writes its files in place, and resumes at epoch starts (which the
training monitor reuses). ``tf.train.Checkpoint`` is tied to TensorFlow objects, restores
lazily (values wait silently for variables that do not exist yet, and what was not matched
is reported only when asked with ``assert_consumed``), and knows nothing of NumPy or Python
state. The format here is small, covers both ways of training, works with any Keras backend,
and refuses, with a clear message, a checkpoint made by a different model.

Example (a hand-written loop; ``monitor.steps()`` in the training monitor does this for you):

    checkpoint = TrainingCheckpoint(
        "01_sin_gan",
        models={"generator": generator, "discriminator": discriminator},
        optimizers={"generator": g_optimizer, "discriminator": d_optimizer},
        random_generators={"data": data_rng},
        every=500,
    )
    restored = checkpoint.restore()            # None on the first run
    start = restored.step if restored else 0
    for step in range(start, steps):
        ...                                    # one training step
        if checkpoint.due(step + 1):
            checkpoint.save(step + 1, history=history)
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from course_utils import config

FORMAT_VERSION = 1
STATE_FILE = "state.json"
ARRAYS_FILE = "arrays.npz"
STEP_FOLDER = re.compile(r"^step-(\d{9})$")
PARTIAL_PREFIX = ".partial-"
REPLACED_PREFIX = ".replaced-"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Optimizer variables that are settings, not state: a value set in the notebook wins.
OPTIMIZER_SETTINGS = ("learning_rate",)


class CheckpointMismatchError(ValueError):
    """The checkpoint on disk was made by a different model (other layers or shapes)."""


class CheckpointReadError(ValueError):
    """A checkpoint folder could not be read (missing or damaged files)."""


@dataclass
class RestoredState:
    """What :meth:`TrainingCheckpoint.restore` brought back besides the weights.

    Attributes:
        step: training steps done; the next step to run.
        epoch: epochs done, for ``fit()`` (``None`` for a hand-written loop).
        history: the training history (a dict of lists).
        extra: anything else saved with ``save(..., extra=...)``.
        path: the checkpoint folder.
    """

    step: int
    epoch: int | None
    history: dict[str, list]
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(
            f"{what} must be a short name of letters, digits, '_', '-' or '.', e.g. "
            f"'01_sin_gan'; got {name!r}."
        )
    return name


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{what} must be a positive whole number, got {value!r}.")
    return int(value)


class TrainingCheckpoint:
    """Save and restore everything a training run needs, atomically, every ``every`` steps.

    Args:
        name: the run's name, usually the notebook's (``"06_dcgan_road_signs"``); its
            checkpoints go to ``config.data_dir("checkpoints", name)``.
        models: the models to save, by name, e.g. ``{"generator": g, "discriminator": d}``.
            They must be built (have their weights) before saving or restoring.
        optimizers: the optimizers, each under the name of the model it trains (so an
            optimizer that has not taken a step yet can be built for that model).
        random_generators: extra random number generators, by name: ``np.random.Generator``,
            ``np.random.RandomState``, ``tf.random.Generator`` or ``keras.random.SeedGenerator``.
            Python's ``random`` and NumPy's global generator are always saved.
        every: save every this many steps (see :meth:`due`).
        keep: how many of the newest checkpoints to keep.
        fresh_start: ignore and delete this run's old checkpoints when training starts.
        directory: another folder for the checkpoints (default: the data folder).

    Raises:
        ValueError: for a bad name, ``every`` or ``keep`` <= 0, or an optimizer whose name
            matches no model.

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> checkpoint = TrainingCheckpoint("doc_example", models={}, random_generators={"data": rng},
        ...                                 every=10, fresh_start=True)
        >>> checkpoint.restore(verbose=False) is None  # fresh_start: old checkpoints are deleted
        True
        >>> path = checkpoint.save(10, history={"d_loss": [1.3, 1.2]})
        >>> next_number = rng.random()
        >>> restored = checkpoint.restore(verbose=False)
        >>> restored.step, restored.history["d_loss"], rng.random() == next_number
        (10, [1.3, 1.2], True)
    """

    def __init__(
        self,
        name: str,
        *,
        models: Mapping[str, Any],
        optimizers: Mapping[str, Any] | None = None,
        random_generators: Mapping[str, Any] | None = None,
        every: int = 500,
        keep: int = 2,
        fresh_start: bool = False,
        directory: str | os.PathLike | None = None,
    ) -> None:
        self.name = _check_name(name, "The checkpoint name")
        if not isinstance(models, Mapping):
            raise ValueError("models must be a dict of models by name, e.g. {'generator': generator}.")
        self.models = {_check_name(key, "A model name"): model for key, model in models.items()}
        self.optimizers = {_check_name(key, "An optimizer name"): opt for key, opt in (optimizers or {}).items()}
        for key in self.optimizers:
            if key not in self.models:
                raise ValueError(
                    f"The optimizer {key!r} has no model of the same name (models: "
                    f"{', '.join(self.models) or 'none'}). Name each optimizer after the model it "
                    "trains, e.g. optimizers={'generator': g_optimizer, 'discriminator': d_optimizer}."
                )
        self.random_generators = {
            _check_name(key, "A random generator name"): generator
            for key, generator in (random_generators or {}).items()
        }
        for key, generator in self.random_generators.items():
            _random_kind(generator, key)
        self.every = _positive_int(every, "every (steps between checkpoints)")
        self.keep = _positive_int(keep, "keep (checkpoints to keep)")
        self.fresh_start = bool(fresh_start)
        self._directory = Path(directory) if directory is not None else None
        self._fresh_start_done = False

    # ----------------------------------------------------------------------------------------
    # Where and when
    # ----------------------------------------------------------------------------------------

    @property
    def directory(self) -> Path:
        """The folder holding this run's checkpoints (created when needed)."""
        if self._directory is not None:
            self._directory.mkdir(parents=True, exist_ok=True)
            return self._directory
        return config.data_dir("checkpoints", self.name)

    def due(self, step: int) -> bool:
        """Return ``True`` when ``step`` (steps done) is a multiple of ``every``.

        Example:
            >>> TrainingCheckpoint("doc_due", models={}, every=100).due(300)
            True
        """
        return step > 0 and step % self.every == 0

    def paths(self) -> list[Path]:
        """Return the complete checkpoint folders, oldest first.

        Example:
            >>> TrainingCheckpoint("doc_paths", models={}, fresh_start=True).delete_all()
            >>> TrainingCheckpoint("doc_paths", models={}).paths()
            []
        """
        return _step_folders(self.directory)

    def latest_step(self) -> int | None:
        """Return the step of the newest checkpoint, or ``None`` when there is none.

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_latest", models={}, fresh_start=True)
            >>> checkpoint.delete_all(); checkpoint.latest_step() is None
            True
        """
        found = self.paths()
        return int(STEP_FOLDER.match(found[-1].name).group(1)) if found else None

    def delete_all(self) -> None:
        """Delete every checkpoint of this run (and any half-written leftovers).

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_delete", models={})
            >>> _ = checkpoint.save(5); checkpoint.delete_all(); checkpoint.paths()
            []
        """
        directory = self.directory
        for path in directory.iterdir():
            if path.is_dir() and (STEP_FOLDER.match(path.name) or path.name.startswith((PARTIAL_PREFIX, REPLACED_PREFIX))):
                shutil.rmtree(path, ignore_errors=True)

    # ----------------------------------------------------------------------------------------
    # Saving
    # ----------------------------------------------------------------------------------------

    def save(
        self,
        step: int,
        *,
        history: Mapping[str, Any] | None = None,
        epoch: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write a checkpoint for ``step`` steps done and return its folder.

        The files are written into a temporary folder that is renamed into place only when
        complete; older checkpoints beyond ``keep`` are then removed.

        Args:
            step: training steps done (the next step to run after a restore).
            history: the training history, a dict of lists of numbers.
            epoch: epochs done, when training with ``fit()``.
            extra: other JSON-serialisable facts to keep (e.g. the monitor's clock).

        Raises:
            ValueError: for a negative step, an unbuilt model, a history that is not numbers,
                or ``extra`` that JSON cannot store.

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_save", models={}, keep=1)
            >>> checkpoint.save(500, history={"d_loss": [1.3]}).name
            'step-000000500'
        """
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 0:
            raise ValueError(f"step must be a whole number >= 0, got {step!r}.")
        step = int(step)
        arrays, state = self._collect(step, history or {}, epoch, extra or {})
        directory = self.directory
        self._remove_leftovers(directory)
        final = directory / f"step-{step:09d}"
        temporary = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}step-{step:09d}-", dir=directory))
        displaced = None
        try:
            _write_arrays(temporary / ARRAYS_FILE, arrays)
            _write_text(temporary / STATE_FILE, json.dumps(state, indent=1))
            _fsync_directory(temporary)
            if final.exists():
                displaced = directory / f"{REPLACED_PREFIX}{final.name}-{os.getpid()}-{time.time_ns()}"
                os.replace(final, displaced)
            os.replace(temporary, final)
            _fsync_directory(directory)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            if displaced is not None and not final.exists():
                os.replace(displaced, final)
            raise
        if displaced is not None:
            shutil.rmtree(displaced, ignore_errors=True)
        for old in _step_folders(directory)[: -self.keep]:
            shutil.rmtree(old, ignore_errors=True)
        return final

    def _remove_leftovers(self, directory: Path) -> None:
        # Folders left by a write that was killed half-way (never renamed into place).
        for path in directory.iterdir():
            if path.is_dir() and path.name.startswith((PARTIAL_PREFIX, REPLACED_PREFIX)):
                shutil.rmtree(path, ignore_errors=True)

    def _collect(
        self, step: int, history: Mapping[str, Any], epoch: int | None, extra: Mapping[str, Any]
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays: dict[str, np.ndarray] = {}
        signature: dict[str, Any] = {"models": {}, "optimizers": {}, "random_generators": {}}
        for name, model in self.models.items():
            values = [_variable_value(variable) for variable in _model_variables(model, name)]
            signature["models"][name] = [list(value.shape) for value in values]
            for index, value in enumerate(values):
                arrays[f"model.{name}.{index:04d}"] = value
        for name, optimizer in self.optimizers.items():
            _build_optimizer_if_needed(optimizer, self.models[name])  # same variables as after a restore
            values = [_variable_value(variable) for variable in _optimizer_state(optimizer)]
            signature["optimizers"][name] = [list(value.shape) for value in values]
            for index, value in enumerate(values):
                arrays[f"optimizer.{name}.{index:04d}"] = value
        random_state: dict[str, Any] = {"python": _python_random_state()}
        numpy_state = np.random.get_state(legacy=False)
        arrays["random.numpy_global.key"] = np.asarray(numpy_state["state"]["key"])
        random_state["numpy_global"] = {key: value for key, value in numpy_state.items() if key != "state"}
        random_state["numpy_global"]["pos"] = int(numpy_state["state"]["pos"])
        for name, generator in self.random_generators.items():
            kind = _random_kind(generator, name)
            signature["random_generators"][name] = kind
            if kind == "numpy_generator":
                random_state[name] = _jsonable(generator.bit_generator.state)
            elif kind == "numpy_random_state":
                random_state[name] = _jsonable(generator.get_state(legacy=False))
            else:
                arrays[f"random.{name}"] = _variable_value(generator.state)
        history_keys = []
        for index, (key, values) in enumerate(history.items()):
            array = np.asarray(list(values))
            if array.dtype.kind not in "biuf":
                raise ValueError(f"history[{key!r}] must be a list of numbers to be saved in a checkpoint.")
            arrays[f"history.{index:04d}"] = array
            history_keys.append(str(key))
        try:
            extra_json = json.loads(json.dumps(dict(extra)))
        except (TypeError, ValueError) as error:
            raise ValueError(f"extra must be JSON-serialisable: {error}") from None
        state = {
            "format": FORMAT_VERSION,
            "name": self.name,
            "step": step,
            "epoch": None if epoch is None else int(epoch),
            "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "signature": signature,
            "history_keys": history_keys,
            "random_state": random_state,
            "extra": extra_json,
        }
        return arrays, state

    # ----------------------------------------------------------------------------------------
    # Restoring
    # ----------------------------------------------------------------------------------------

    def restore(self, *, verbose: bool = True) -> RestoredState | None:
        """Load the newest checkpoint into the models, optimizers and random generators.

        With ``fresh_start=True`` the run's old checkpoints are deleted instead (once) and
        nothing is restored. An unreadable checkpoint (damaged files) is skipped with a
        warning in favour of the one before it.

        Returns:
            The step, epoch, history and extras, or ``None`` when there is nothing to restore.

        Raises:
            CheckpointMismatchError: when the checkpoint was made by a different model; the
                message says how to start fresh.

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_restore", models={}, keep=1)
            >>> _ = checkpoint.save(7, extra={"note": "hello"})
            >>> checkpoint.restore(verbose=False).extra
            {'note': 'hello'}
        """
        directory = self.directory
        if self.fresh_start and not self._fresh_start_done:
            had = _step_folders(directory)
            self.delete_all()
            self._fresh_start_done = True
            if verbose and had:
                print(f"Fresh start: deleted {len(had)} old checkpoint(s) in {directory}.")
            return None
        for path in reversed(_step_folders(directory)):
            try:
                state, arrays = _read_checkpoint(path)
            except CheckpointReadError as error:
                warnings.warn(f"Skipping an unreadable checkpoint: {error}", stacklevel=2)
                continue
            self._check_signature(state, path)
            self._apply(state, arrays)
            history = {
                key: arrays[f"history.{index:04d}"].tolist() for index, key in enumerate(state["history_keys"])
            }
            restored = RestoredState(
                step=int(state["step"]),
                epoch=state.get("epoch"),
                history=history,
                extra=dict(state.get("extra") or {}),
                path=path,
            )
            if verbose:
                print(
                    f"Continuing from the checkpoint at step {restored.step} ({path}). "
                    "To start over, pass fresh_start=True."
                )
            return restored
        return None

    def _check_signature(self, state: Mapping[str, Any], path: Path) -> None:
        saved = state["signature"]
        how_to_start_fresh = (
            f"If you changed the model on purpose, start fresh: pass fresh_start=True (or delete "
            f"the folder {path.parent})."
        )
        current_models = {
            name: [list(_variable_value(v).shape) for v in _model_variables(model, name)]
            for name, model in self.models.items()
        }
        current_optimizers = {}
        for name, optimizer in self.optimizers.items():
            _build_optimizer_if_needed(optimizer, self.models[name])
            current_optimizers[name] = [list(_variable_value(v).shape) for v in _optimizer_state(optimizer)]
        problems = _compare_group("model", saved["models"], current_models)
        problems += _compare_group("optimizer", saved["optimizers"], current_optimizers)
        current_randoms = {name: _random_kind(gen, name) for name, gen in self.random_generators.items()}
        if saved["random_generators"] != current_randoms:
            problems.append(
                f"it saved the random generators {saved['random_generators']}, this run has {current_randoms}"
            )
        if problems:
            raise CheckpointMismatchError(
                f"The checkpoint in {path} (step {state['step']}) was made by a different model: "
                + "; ".join(problems)
                + ". "
                + how_to_start_fresh
            )

    def _apply(self, state: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        for name, model in self.models.items():
            for index, variable in enumerate(_model_variables(model, name)):
                variable.assign(arrays[f"model.{name}.{index:04d}"])
        for name, optimizer in self.optimizers.items():
            for index, variable in enumerate(_optimizer_state(optimizer)):
                variable.assign(arrays[f"optimizer.{name}.{index:04d}"])
        random_state = state["random_state"]
        python_state = random_state["python"]
        random.setstate((python_state[0], tuple(python_state[1]), python_state[2]))
        numpy_global = dict(random_state["numpy_global"])
        position = numpy_global.pop("pos")
        numpy_global["state"] = {"key": arrays["random.numpy_global.key"], "pos": position}
        np.random.set_state(numpy_global)
        for name, generator in self.random_generators.items():
            kind = _random_kind(generator, name)
            if kind == "numpy_generator":
                generator.bit_generator.state = _from_jsonable(random_state[name])
            elif kind == "numpy_random_state":
                generator.set_state(_from_jsonable(random_state[name]))
            else:
                generator.state.assign(arrays[f"random.{name}"])


# --------------------------------------------------------------------------------------------
# Variables, optimizers and random generators, without importing Keras here
# --------------------------------------------------------------------------------------------


def _model_variables(model: Any, name: str) -> list[Any]:
    variables = list(getattr(model, "variables", None) or [])
    if not variables:
        raise ValueError(
            f"The model {name!r} has no weights yet, so it cannot be saved or restored. Build it "
            "first: start it with keras.Input(shape=...), or call it once on a batch."
        )
    return variables


def _optimizer_state(optimizer: Any) -> list[Any]:
    variables = getattr(optimizer, "variables", None)
    if variables is None:
        raise ValueError(f"{optimizer!r} is not a Keras optimizer (it has no .variables).")
    return [v for v in variables if not str(getattr(v, "path", getattr(v, "name", ""))).endswith(OPTIMIZER_SETTINGS)]


def _build_optimizer_if_needed(optimizer: Any, model: Any) -> None:
    if getattr(optimizer, "built", True):
        return
    optimizer.build(model.trainable_variables)


def _variable_value(variable: Any) -> np.ndarray:
    if hasattr(variable, "numpy"):
        return np.array(variable.numpy())
    return np.array(variable)


def _random_kind(generator: Any, name: str) -> str:
    if isinstance(generator, np.random.Generator):
        return "numpy_generator"
    if isinstance(generator, np.random.RandomState):
        return "numpy_random_state"
    state = getattr(generator, "state", None)
    if state is not None and hasattr(state, "assign"):
        return "variable_state"
    raise ValueError(
        f"The random generator {name!r} ({type(generator).__name__}) cannot be saved: use "
        "np.random.default_rng(seed), tf.random.Generator.from_seed(seed) or "
        "keras.random.SeedGenerator(seed)."
    )


def _python_random_state() -> list[Any]:
    version, internal, gauss_next = random.getstate()
    return [version, list(internal), gauss_next]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "__ndarray__" in value:
            return np.asarray(value["__ndarray__"], dtype=value["dtype"])
        return {key: _from_jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(item) for item in value]
    return value


def _compare_group(what: str, saved: Mapping[str, list], current: Mapping[str, list]) -> list[str]:
    if set(saved) != set(current):
        return [f"it has the {what}s {sorted(saved)}, this run has {sorted(current)}"]
    problems = []
    for name in current:
        problem = _compare_shapes(saved[name], current[name], f"{what} {name!r}")
        if problem:
            problems.append(problem)
    return problems


def _compare_shapes(saved: list, current: list, what: str) -> str | None:
    if len(saved) != len(current):
        return f"the {what} has {len(saved)} variables there but {len(current)} here"
    for index, (before, now) in enumerate(zip(saved, current)):
        if list(before) != list(now):
            return f"variable {index} of the {what} has shape {tuple(before)} there but {tuple(now)} here"
    return None


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _write_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    with open(path, "wb") as stream:
        np.savez(stream, **arrays)
        stream.flush()
        os.fsync(stream.fileno())


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


def _fsync_directory(path: Path) -> None:
    # Make the rename itself durable (POSIX). Best effort: Windows cannot, and some network
    # or FUSE file systems (Google Drive in Colab) refuse it.
    if os.name != "posix":
        return
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _step_folders(directory: Path) -> list[Path]:
    found = [path for path in directory.iterdir() if path.is_dir() and STEP_FOLDER.match(path.name)]
    return sorted(found, key=lambda path: int(STEP_FOLDER.match(path.name).group(1)))


def _read_checkpoint(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    try:
        state = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
        with np.load(path / ARRAYS_FILE, allow_pickle=False) as loaded:
            arrays = {key: loaded[key] for key in loaded.files}
    except (OSError, ValueError, KeyError, EOFError) as error:
        raise CheckpointReadError(f"{path}: {error}") from None
    if state.get("format") != FORMAT_VERSION:
        raise CheckpointReadError(f"{path}: format {state.get('format')!r}, expected {FORMAT_VERSION}")
    return state, arrays
