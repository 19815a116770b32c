"""Resumable training through TensorFlow's own checkpoints: save every N steps, continue later.

``tf.train.Checkpoint`` saves the models' ``variables`` (weights, batch-norm statistics, the
``SeedGenerator`` states Keras' tracking leaves out), the optimizers (the learning rate set in
the notebook wins), ``tf.random.Generator``/``keras.random.SeedGenerator`` states, and the step,
history, extras and NumPy/Python random state as JSON in a string variable.
``tf.train.CheckpointManager`` writes and rotates them (``step-500.index``, ``.data``) in
``config.data_dir("checkpoints", name)`` and lists each only once written: a write that dies
half-way leaves the previous one the newest. Another model's checkpoint is refused, saying what
differs, before any variable changes. The training monitor uses it (``checkpoint=``)::

    checkpoint = TrainingCheckpoint("06_dcgan_road_signs", models={"generator": g}, optimizers={"generator": g_opt})
    restored = checkpoint.restore()            # None on the first run
    checkpoint.save(500, history=history)      # after 500 steps
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from course_utils import checks, config

PREFIX = "step"  # a checkpoint is step-<step>.index + step-<step>.data-00000-of-00001
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
IGNORED_KEYS = ("_CHECKPOINTABLE_OBJECT_GRAPH", "save_counter/")
HOW_TO_START_FRESH = "To start again, pass fresh_start=True (or delete the folder {})."


class CheckpointMismatchError(ValueError):
    """The checkpoint on disk was made by a different model (other variables or shapes)."""


class CheckpointReadError(ValueError):
    """No checkpoint of the run could be read (missing or damaged files)."""


@dataclass
class RestoredState:
    """What :meth:`TrainingCheckpoint.restore` brought back besides the variables: steps done,
    the history and the ``extra`` given to ``save``."""

    step: int
    history: dict[str, list]
    extra: dict[str, Any] = field(default_factory=dict)


def _name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"{what} must be a short name of letters, digits, '_', '-' or '.', e.g. '01_sin_gan'; got {name!r}.")
    return name


class TrainingCheckpoint:
    """Save and restore everything a training run needs, every ``every`` steps.

    Args:
        name: the run's name, usually the notebook's; the folder is ``data_dir("checkpoints", name)``.
        models: the models by name; built (with weights) before saving or restoring.
        optimizers: each optimizer under the name of the model it trains (so one that has not
            taken a step yet can be built for that model: otherwise its state is not restored).
        random_generators: ``np.random.Generator``, ``tf.random.Generator`` or
            ``keras.random.SeedGenerator`` by name; Python's and NumPy's global ones are always saved.
        every: save every this many steps (see :meth:`due`).
        keep: how many of the newest checkpoints to keep.
        fresh_start: delete the run's checkpoints (once, in :meth:`restore`) and start at step 0.
        directory: another folder for the checkpoints.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> checkpoint = TrainingCheckpoint("doc_example", models={}, random_generators={"data": rng},
        ...                                 every=10, fresh_start=True)
        >>> checkpoint.restore(verbose=False) is None  # fresh_start: old checkpoints are deleted
        True
        >>> checkpoint.save(10, history={"d_loss": [1.3, 1.2]}).name
        'step-10'
        >>> next_number = rng.random()
        >>> restored = checkpoint.restore(verbose=False)
        >>> restored.step, restored.history["d_loss"], rng.random() == next_number
        (10, [1.3, 1.2], True)
    """

    def __init__(
        self, name: str, *, models: Mapping[str, Any], optimizers: Mapping[str, Any] | None = None,
        random_generators: Mapping[str, Any] | None = None, every: int = 500, keep: int = 2,
        fresh_start: bool = False, directory: str | os.PathLike | None = None,
    ) -> None:
        self.name = _name(name, "The checkpoint name")
        if not isinstance(models, Mapping):
            raise ValueError("models must be a dict of models by name, e.g. {'generator': generator}.")
        self.models = {_name(key, "A model name"): model for key, model in models.items()}
        self.optimizers = {_name(key, "An optimizer name"): opt for key, opt in (optimizers or {}).items()}
        for key in self.optimizers.keys() - self.models.keys():
            raise ValueError(
                f"The optimizer {key!r} has no model of the same name (models: {', '.join(self.models) or 'none'}). Name "
                "each optimizer after the model it trains, e.g. optimizers={'generator': g_opt, 'discriminator': d_opt}."
            )
        self.random_generators = {_name(k, "A random generator name"): g for k, g in (random_generators or {}).items()}
        for key, generator in self.random_generators.items():
            if not isinstance(generator, np.random.Generator) and not hasattr(getattr(generator, "state", None), "assign"):
                raise ValueError(
                    f"The random generator {key!r} ({type(generator).__name__}) cannot be saved: use np.random.default_rng"
                    "(seed), tf.random.Generator.from_seed(seed) or keras.random.SeedGenerator(seed)."
                )
        self.every = checks.whole_number(every, "every (steps between checkpoints)")
        self.keep = checks.whole_number(keep, "keep (checkpoints to keep)")
        self.fresh_start = bool(fresh_start)
        self._directory = Path(directory) if directory is not None else None
        self._fresh_start_done = False

    @property
    def directory(self) -> Path:
        """The folder holding this run's checkpoints (created when needed)."""
        if self._directory is None:
            return config.data_dir("checkpoints", self.name)
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def due(self, step: int) -> bool:
        """Return ``True`` when ``step`` (steps done) is a positive multiple of ``every``.

        >>> [step for step in range(301) if TrainingCheckpoint("doc_due", models={}, every=100).due(step)]
        [100, 200, 300]
        """
        return step > 0 and step % self.every == 0

    def paths(self) -> list[Path]:
        """Return the prefixes of the run's checkpoints, oldest first.

        >>> checkpoint = TrainingCheckpoint("doc_paths", models={}, keep=2)
        >>> [checkpoint.save(step).name for step in (5, 10, 15)], [path.name for path in checkpoint.paths()]
        (['step-5', 'step-10', 'step-15'], ['step-10', 'step-15'])
        """
        import tensorflow as tf  # noqa: PLC0415

        # The manager's `checkpoint` file, read directly: a manager forgets the checkpoints
        # stamped later than its own clock (a folder copied from a machine whose clock is ahead).
        state = tf.train.get_checkpoint_state(str(self.directory))
        if state is None and (self.directory / "checkpoint").exists():  # TF only logs a warning
            raise CheckpointReadError(f"{self.directory / 'checkpoint'} is damaged. " + HOW_TO_START_FRESH.format(self.directory))
        return [Path(prefix) for prefix in (state.all_model_checkpoint_paths if state else [])]

    def save(self, step: int, *, history: Mapping[str, Any] | None = None, extra: Mapping[str, Any] | None = None) -> Path:
        """Write a checkpoint for ``step`` steps done, keep the newest ``keep``, and return its prefix.
        ``history`` is a dict of lists of numbers, ``extra`` anything JSON can store; a bad one, a
        negative step or an unbuilt model is a ValueError.

        >>> TrainingCheckpoint("doc_save", models={}).save(500, history={"d_loss": [1.3]}).name
        'step-500'
        """
        state: dict[str, Any] = {"step": checks.whole_number(step, "step", minimum=0), "history": {}}
        for key, values in (history or {}).items():
            array = np.asarray(list(values))
            if array.dtype.kind not in "biuf":
                raise ValueError(f"history[{key!r}] must be a list of numbers to be saved in a checkpoint.")
            state["history"][str(key)] = array.tolist()
        try:
            state["extra"] = json.loads(json.dumps(dict(extra or {})))
        except (TypeError, ValueError) as error:
            raise ValueError(f"extra must be JSON-serialisable: {error}") from None
        state["random"] = {"python": random.getstate(), "numpy": np.random.get_state(legacy=False)}
        for name, generator in self.random_generators.items():
            if isinstance(generator, np.random.Generator):
                state["random"][name] = generator.bit_generator.state
        root = self._root()
        root.state.assign(json.dumps(state, default=lambda array: array.tolist()))  # NumPy arrays, numbers
        self._remove_leftovers()
        try:
            return Path(self._manager(root).save(checkpoint_number=int(step)))
        finally:
            self._remove_leftovers()  # after a failed write, its files

    def restore(self, *, verbose: bool = True) -> RestoredState | None:
        """Load the newest readable checkpoint into the models, optimizers and random generators.

        With ``fresh_start=True`` the run's checkpoints are deleted instead (once). A damaged
        checkpoint is skipped, with a warning, for the one before it. Returns ``None`` when there
        is nothing to restore. Raises :class:`CheckpointMismatchError` (nothing changed) for another
        model's checkpoint, :class:`CheckpointReadError` when none can be read; both say what to do.

        >>> checkpoint = TrainingCheckpoint("doc_restore", models={})
        >>> _ = checkpoint.save(7, extra={"note": "hello"})
        >>> checkpoint.restore(verbose=False).extra
        {'note': 'hello'}
        """
        if self.fresh_start and not self._fresh_start_done:
            had = list(self.directory.glob(f"{PREFIX}-*.index"))
            for path in self.directory.iterdir():
                if path.name == "checkpoint" or path.name.startswith(f"{PREFIX}-"):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            self._fresh_start_done = True
            if verbose and had:
                print(f"Fresh start: deleted {len(had)} old checkpoint(s) in {self.directory}.")
            return None
        problems, root = [], None
        for prefix in map(str, reversed(self.paths())):
            root = self._root() if root is None else root  # only now: the models may be unbuilt
            try:
                state = self._restore_from(root, prefix)
            except CheckpointReadError as error:
                problems.append(str(error))
                warnings.warn(f"Skipping an unreadable checkpoint: {error}", stacklevel=2)
                continue
            if verbose:
                print(f"Continuing from the checkpoint at step {state['step']} ({prefix}). "
                      "To start over, pass fresh_start=True.")
            return RestoredState(state["step"], state["history"], state["extra"])
        if problems:
            raise CheckpointReadError(f"No checkpoint can be read ({'; '.join(problems)}). "
                                      + HOW_TO_START_FRESH.format(self.directory))
        return None

    def _root(self) -> Any:
        """The tree of objects given to TensorFlow, made anew each time (models may be built late)."""
        variables = {name: list(getattr(model, "variables", None) or []) for name, model in self.models.items()}
        for name in [name for name, found in variables.items() if not found]:
            raise ValueError(
                f"The model {name!r} has no weights yet, so it cannot be saved or restored. Build it first: "
                "start it with keras.Input(shape=...), or call it once on a batch."
            )
        for name, optimizer in self.optimizers.items():
            if not getattr(optimizer, "built", True):
                optimizer.build(self.models[name].trainable_variables)
        randoms = {name: g.state for name, g in self.random_generators.items() if not isinstance(g, np.random.Generator)}
        return _root({"models": variables, "optimizers": dict(self.optimizers), "random": randoms})

    def _manager(self, root: Any) -> Any:
        import tensorflow as tf  # noqa: PLC0415

        return tf.train.CheckpointManager(root, str(self.directory), max_to_keep=self.keep, checkpoint_name=PREFIX)

    def _remove_leftovers(self) -> None:
        recorded = {path.name for path in self.paths()}
        for path in self.directory.glob(f"{PREFIX}-*"):  # step-N.index, step-N.data-..., step-N_temp/
            if re.sub(r"(\.index|\.data-\d+-of-\d+|_temp)$", "", path.name) not in recorded:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def _restore_from(self, root: Any, prefix: str) -> dict[str, Any]:
        import tensorflow as tf  # noqa: PLC0415

        try:
            saved = tf.compat.v1.train.NewCheckpointReader(prefix).get_variable_to_shape_map()
        except (tf.errors.OpError, ValueError) as error:
            raise CheckpointReadError(f"{prefix}: {_first_line(error)}") from None
        backup = f"ram://course_utils_checkpoints/{uuid.uuid4().hex}/now"
        try:
            _ = root.save_counter  # created now, so that the backup holds every variable restore() sets
            root.write(backup)  # this run's variables: names and shapes to compare, and an undo
            current = tf.compat.v1.train.NewCheckpointReader(backup).get_variable_to_shape_map()
            if problems := _differences(saved, current, self.models):
                raise CheckpointMismatchError(
                    f"The checkpoint {prefix} was made by a different model: {'; '.join(problems)}. If you "
                    "changed the model on purpose: " + HOW_TO_START_FRESH.format(Path(prefix).parent)
                )
            rates = [(o.learning_rate, o.learning_rate.numpy()) for o in self.optimizers.values()
                     if hasattr(o.learning_rate, "assign")]  # a schedule has no value to keep
            try:
                root.restore(prefix).assert_consumed()
                state = json.loads(root.state.numpy().decode("utf-8"))
            except (tf.errors.OpError, ValueError, AssertionError) as error:
                root.restore(backup).assert_consumed()  # put every variable back as it was
                if isinstance(error, AssertionError):  # same names and shapes, another object tree
                    raise CheckpointMismatchError(f"{prefix} does not fit these models: {_first_line(error)}") from None
                raise CheckpointReadError(f"{prefix}: {_first_line(error)}") from None
        finally:
            tf.io.gfile.rmtree(backup.rsplit("/", 1)[0])
        for variable, value in rates:
            variable.assign(value)  # the learning rate set in the notebook wins
        version, internal, gauss = state["random"]["python"]
        random.setstate((version, tuple(internal), gauss))
        np.random.set_state(state["random"]["numpy"])
        for name, generator in self.random_generators.items():
            if isinstance(generator, np.random.Generator):
                generator.bit_generator.state = state["random"][name]
        return state


def _root(children: Mapping[str, Any]) -> Any:
    import tensorflow as tf  # noqa: PLC0415

    with tf.device("CPU:0"):  # a string variable lives on the CPU
        state = tf.Variable("", dtype=tf.string, trainable=False)
    return tf.train.Checkpoint(state=state, **children)


def _differences(saved: Mapping[str, list], current: Mapping[str, list], models: Mapping[str, Any]) -> list[str]:
    """Say how the saved variables (TensorFlow's key: shape) differ from this run's."""
    saved, current = ({k: v for k, v in keys.items() if not k.startswith(IGNORED_KEYS)} for keys in (saved, current))
    problems = []
    for key in sorted(saved.keys() & current.keys()):
        if list(saved[key]) != list(current[key]):
            what, parts = key.removesuffix("/.ATTRIBUTES/VARIABLE_VALUE"), key.split("/")
            if parts[0] == "models" and parts[1] in models:
                what = f"variable {parts[2]} of model {parts[1]!r} ({models[parts[1]].variables[int(parts[2])].path})"
            problems.append(f"{what} has shape {tuple(saved[key])} there but {tuple(current[key])} here")
    for there, here, where in ((saved, current, "only in the checkpoint"), (current, saved, "only in this run")):
        if missing := sorted({"/".join(key.split("/")[:2]) for key in there.keys() - here.keys()}):
            problems.append(f"variables of {', '.join(missing)} {where}")
    return problems[:3]


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
