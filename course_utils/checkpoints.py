"""Resumable training through TensorFlow's own checkpoints: save every N steps, continue later.

A :class:`TrainingCheckpoint` hands TensorFlow one ``tf.train.Checkpoint`` holding

- every model's variables (``model.variables``: weights, batch-norm statistics and the state of
  the Keras ``SeedGenerator``s the model owns, which Keras' own tracking leaves out),
- every optimizer (step counter and Adam's moments; the learning rate is saved too, but the one
  set in the notebook wins after a restore),
- the state variable of each ``tf.random.Generator`` or ``keras.random.SeedGenerator`` you name,
- a string variable with the step, epoch, history, extras and the NumPy/Python random state as
  JSON, so that all of it lives in the same atomic checkpoint as the weights.

A ``tf.train.CheckpointManager`` writes, numbers (``step-500``), lists and rotates them in
``config.data_dir("checkpoints", name)``. TensorFlow writes the files into a ``step-N_temp``
folder, moves them into place, and only then records the checkpoint in the ``checkpoint`` file;
a write that dies half-way therefore leaves the previous checkpoint the newest one, and its
leftovers are removed by the next save. Before restoring, the saved variables' names and shapes
are compared with this run's, so another model's checkpoint is refused with a message that says
what differs, without touching any variable.

With ``fit()`` the training monitor saves at the end of an epoch once ``every`` steps have
passed (``fit()`` resumes only at an epoch start, as with Keras' ``BackupAndRestore``).

Example (a hand-written loop; ``monitor.steps()`` in the training monitor does this for you)::

    checkpoint = TrainingCheckpoint(
        "01_sin_gan",
        models={"generator": generator, "discriminator": discriminator},
        optimizers={"generator": g_optimizer, "discriminator": d_optimizer},
        random_generators={"data": data_rng},
        every=500,
    )
    restored = checkpoint.restore()            # None on the first run
    for step in range(restored.step if restored else 0, steps):
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
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from course_utils import config

PREFIX = "step"  # checkpoints are step-<step>.index and step-<step>.data-00000-of-00001
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
IGNORED_KEYS = ("_CHECKPOINTABLE_OBJECT_GRAPH", "save_counter/")


class CheckpointMismatchError(ValueError):
    """The checkpoint on disk was made by a different model (other variables or shapes)."""


class CheckpointReadError(ValueError):
    """No checkpoint of the run could be read (missing or damaged files)."""


@dataclass
class RestoredState:
    """What :meth:`TrainingCheckpoint.restore` brought back besides the weights.

    Attributes:
        step: training steps done; the next step to run.
        epoch: epochs done, for ``fit()`` (``None`` for a hand-written loop).
        history: the training history (a dict of lists).
        extra: anything else saved with ``save(..., extra=...)``.
        path: the checkpoint's prefix (``.../step-500``).
    """

    step: int
    epoch: int | None
    history: dict[str, list]
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"{what} must be a short name of letters, digits, '_', '-' or '.', e.g. '01_sin_gan'; got {name!r}.")
    return name


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{what} must be a positive whole number, got {value!r}.")
    return int(value)


class TrainingCheckpoint:
    """Save and restore everything a training run needs, every ``every`` steps.

    Args:
        name: the run's name, usually the notebook's (``"06_dcgan_road_signs"``); its
            checkpoints go to ``config.data_dir("checkpoints", name)``.
        models: the models to save, by name; they must be built (have their weights).
        optimizers: the optimizers, each under the name of the model it trains (so an
            optimizer that has not taken a step yet can be built for that model).
        random_generators: extra random generators by name: ``np.random.Generator``,
            ``np.random.RandomState``, ``tf.random.Generator`` or ``keras.random.SeedGenerator``.
            Python's ``random`` and NumPy's global generator are always saved.
        every: save every this many steps (see :meth:`due`).
        keep: how many of the newest checkpoints to keep.
        fresh_start: delete this run's old checkpoints (once, at :meth:`restore`) and start at 0.
        directory: another folder for the checkpoints (default: the data folder).

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
                    f"The optimizer {key!r} has no model of the same name (models: {', '.join(self.models) or 'none'}). "
                    "Name each optimizer after the model it trains, e.g. "
                    "optimizers={'generator': g_optimizer, 'discriminator': d_optimizer}."
                )
        self.random_generators = {_check_name(k, "A random generator name"): g for k, g in (random_generators or {}).items()}
        for key, generator in self.random_generators.items():
            if not isinstance(generator, (np.random.Generator, np.random.RandomState)) and not hasattr(
                getattr(generator, "state", None), "assign"
            ):
                raise ValueError(
                    f"The random generator {key!r} ({type(generator).__name__}) cannot be saved: use "
                    "np.random.default_rng(seed), tf.random.Generator.from_seed(seed) or keras.random.SeedGenerator(seed)."
                )
        self.every = _positive_int(every, "every (steps between checkpoints)")
        self.keep = _positive_int(keep, "keep (checkpoints to keep)")
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

        Example:
            >>> [step for step in range(301) if TrainingCheckpoint("doc_due", models={}, every=100).due(step)]
            [100, 200, 300]
        """
        return step > 0 and step % self.every == 0

    def paths(self) -> list[Path]:
        """Return the prefixes of the recorded checkpoints, oldest first (``.../step-500``).

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_paths", models={}, keep=2)
            >>> for step in (5, 10, 15):
            ...     _ = checkpoint.save(step)
            >>> [path.name for path in checkpoint.paths()]
            ['step-10', 'step-15']
        """
        return [Path(prefix) for prefix in self._manager(_root({})).checkpoints]

    def latest_step(self) -> int | None:
        """Return the step of the newest checkpoint, or ``None`` when there is none.

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_latest", models={})
            >>> checkpoint.latest_step() is None, checkpoint.save(20).name, checkpoint.latest_step()
            (True, 'step-20', 20)
        """
        found = self.paths()
        return int(found[-1].name.rsplit("-", 1)[1]) if found else None

    def delete_all(self) -> None:
        """Delete every checkpoint of this run, and any half-written leftovers.

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_delete", models={})
            >>> _ = checkpoint.save(5); checkpoint.delete_all(); checkpoint.paths()
            []
        """
        for path in self.directory.iterdir():
            if path.name == "checkpoint" or path.name.startswith(f"{PREFIX}-"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def save(
        self,
        step: int,
        *,
        history: Mapping[str, Any] | None = None,
        epoch: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write a checkpoint for ``step`` steps done and return its prefix; keep the newest ``keep``.

        Args:
            step: training steps done (the next step to run after a restore).
            history: the training history, a dict of lists of numbers.
            epoch: epochs done, when training with ``fit()``.
            extra: other JSON-serialisable facts to keep (e.g. the monitor's clock).

        Raises:
            ValueError: for a negative step, an unbuilt model, a history that is not numbers,
                or ``extra`` that JSON cannot store.

        Example:
            >>> TrainingCheckpoint("doc_save", models={}).save(500, history={"d_loss": [1.3]}).name
            'step-500'
        """
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 0:
            raise ValueError(f"step must be a whole number >= 0, got {step!r}.")
        saved_history = {}
        for key, values in (history or {}).items():
            array = np.asarray(list(values))
            if array.dtype.kind not in "biuf":
                raise ValueError(f"history[{key!r}] must be a list of numbers to be saved in a checkpoint.")
            saved_history[str(key)] = array.tolist()
        state = {"step": int(step), "epoch": None if epoch is None else int(epoch), "history": saved_history}
        try:
            state["extra"] = json.loads(json.dumps(dict(extra or {})))
        except (TypeError, ValueError) as error:
            raise ValueError(f"extra must be JSON-serialisable: {error}") from None
        state["random"] = self._random_state()
        root = self._root()
        root.state.assign(json.dumps(state, default=_array_to_json))
        manager = self._manager(root)
        self._remove_leftovers(manager)
        try:
            return Path(manager.save(checkpoint_number=int(step)))
        except BaseException:
            self._remove_leftovers(manager)
            raise

    def restore(self, *, verbose: bool = True) -> RestoredState | None:
        """Load the newest checkpoint into the models, optimizers and random generators.

        With ``fresh_start=True`` the run's old checkpoints are deleted instead (once) and
        nothing is restored. A damaged newest checkpoint is skipped, with a warning, for the
        one before it.

        Returns:
            The step, epoch, history and extras, or ``None`` when there is nothing to restore.

        Raises:
            CheckpointMismatchError: the checkpoint was made by a different model; nothing is
                changed, and the message says what differs and how to start fresh.
            CheckpointReadError: no checkpoint of the run can be read.

        Example:
            >>> checkpoint = TrainingCheckpoint("doc_restore", models={})
            >>> _ = checkpoint.save(7, extra={"note": "hello"})
            >>> checkpoint.restore(verbose=False).extra
            {'note': 'hello'}
        """
        if self.fresh_start and not self._fresh_start_done:
            had = self.paths()
            self.delete_all()
            self._fresh_start_done = True
            if verbose and had:
                print(f"Fresh start: deleted {len(had)} old checkpoint(s) in {self.directory}.")
            return None
        root = self._root()
        prefixes = self._manager(root).checkpoints
        if not prefixes:
            return None
        problems = []
        for prefix in reversed(prefixes):
            try:
                state = self._restore_from(root, prefix)
            except CheckpointReadError as error:
                problems.append(str(error))
                warnings.warn(f"Skipping an unreadable checkpoint: {error}", stacklevel=2)
                continue
            restored = RestoredState(state["step"], state["epoch"], state["history"], state["extra"], Path(prefix))
            if verbose:
                print(f"Continuing from the checkpoint at step {restored.step} ({prefix}). To start over, pass fresh_start=True.")
            return restored
        raise CheckpointReadError(
            f"No checkpoint in {self.directory} can be read ({'; '.join(problems)}). "
            "Pass fresh_start=True to start again (or delete the folder)."
        )

    # ----------------------------------------------------------------------------------------

    def _root(self) -> Any:
        """The object tree given to TensorFlow (new each time: models may be built late)."""
        variables = {}
        for name, model in self.models.items():
            variables[name] = list(getattr(model, "variables", None) or [])
            if not variables[name]:
                raise ValueError(
                    f"The model {name!r} has no weights yet, so it cannot be saved or restored. Build it "
                    "first: start it with keras.Input(shape=...), or call it once on a batch."
                )
        for name, optimizer in self.optimizers.items():
            if not getattr(optimizer, "built", True):  # unbuilt: its moments would not be restored
                optimizer.build(self.models[name].trainable_variables)
        randoms = {name: g.state for name, g in self.random_generators.items() if hasattr(g, "state")}
        return _root({"models": variables, "optimizers": dict(self.optimizers), "random": randoms})

    def _manager(self, root: Any) -> Any:
        import tensorflow as tf  # noqa: PLC0415

        return tf.train.CheckpointManager(root, str(self.directory), max_to_keep=self.keep, checkpoint_name=PREFIX)

    def _remove_leftovers(self, manager: Any) -> None:
        # Files of a write that died before the manager recorded it (step-N.*, step-N_temp/).
        recorded = {Path(prefix).name for prefix in manager.checkpoints}
        for path in self.directory.glob(f"{PREFIX}-*"):
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
            _ = root.save_counter  # created now, so that the backup below restores every variable
            root.write(backup)  # this run's variables: names and shapes to compare, and an undo
            current = tf.compat.v1.train.NewCheckpointReader(backup).get_variable_to_shape_map()
            problems = _differences(saved, current, self.models)
            if problems:
                raise CheckpointMismatchError(
                    f"The checkpoint {prefix} was made by a different model: {'; '.join(problems)}. If you changed "
                    f"the model on purpose, start fresh: pass fresh_start=True (or delete the folder {Path(prefix).parent})."
                )
            rates = [(o.learning_rate, o.learning_rate.numpy()) for o in self.optimizers.values()
                     if hasattr(o.learning_rate, "assign")]
            try:
                root.restore(prefix).assert_consumed()
                state = json.loads(root.state.numpy().decode("utf-8"), object_hook=_array_from_json)
            except (tf.errors.OpError, ValueError, AssertionError) as error:
                root.restore(backup).assert_consumed()  # put every variable back as it was
                if isinstance(error, AssertionError):  # names and shapes agreed, the object tree did not
                    raise CheckpointMismatchError(f"The checkpoint {prefix} does not fit these models: {_first_line(error)}") from None
                raise CheckpointReadError(f"{prefix}: {_first_line(error)}") from None
        finally:
            tf.io.gfile.rmtree(backup.rsplit("/", 1)[0])
        for variable, value in rates:
            variable.assign(value)  # the learning rate set in the notebook wins
        self._set_random_state(state["random"])
        return state

    def _random_state(self) -> dict[str, Any]:
        state = {"python": random.getstate(), "numpy": np.random.get_state(legacy=False)}
        for name, generator in self.random_generators.items():
            if isinstance(generator, np.random.Generator):
                state[name] = generator.bit_generator.state
            elif isinstance(generator, np.random.RandomState):
                state[name] = generator.get_state(legacy=False)
        return state

    def _set_random_state(self, state: Mapping[str, Any]) -> None:
        version, internal, gauss = state["python"]
        random.setstate((version, tuple(internal), gauss))
        np.random.set_state(state["numpy"])
        for name, generator in self.random_generators.items():
            if isinstance(generator, np.random.Generator):
                generator.bit_generator.state = state[name]
            elif isinstance(generator, np.random.RandomState):
                generator.set_state(state[name])


def _root(children: Mapping[str, Any]) -> Any:
    import tensorflow as tf  # noqa: PLC0415

    with tf.device("CPU:0"):  # string variables live on the CPU
        state = tf.Variable("", dtype=tf.string, trainable=False)
    return tf.train.Checkpoint(state=state, **children)


def _differences(saved: Mapping[str, list], current: Mapping[str, list], models: Mapping[str, Any]) -> list[str]:
    saved = {key: value for key, value in saved.items() if not key.startswith(IGNORED_KEYS)}
    current = {key: value for key, value in current.items() if not key.startswith(IGNORED_KEYS)}
    problems = []
    for group in ("models", "optimizers", "random"):
        there = sorted({key.split("/")[1] for key in saved if key.startswith(f"{group}/")})
        here = sorted({key.split("/")[1] for key in current if key.startswith(f"{group}/")})
        if there != here:
            problems.append(f"it has the {group} {there}, this run has {here}")
    for key in sorted(saved.keys() & current.keys()):
        if list(saved[key]) != list(current[key]):
            parts = key.split("/")
            what = key.removesuffix("/.ATTRIBUTES/VARIABLE_VALUE")
            if parts[0] == "models" and parts[1] in models:
                what = f"variable {parts[2]} of model {parts[1]!r} ({models[parts[1]].variables[int(parts[2])].path} here)"
            problems.append(f"{what} has shape {tuple(saved[key])} there but {tuple(current[key])} here")
    if not problems and saved.keys() != current.keys():
        only_there, only_here = sorted(saved.keys() - current.keys()), sorted(current.keys() - saved.keys())
        problems.append(f"variables only in the checkpoint: {only_there[:3]}; only in this run: {only_here[:3]}")
    return problems[:5]


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _array_to_json(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be stored as JSON")


def _array_from_json(value: dict[str, Any]) -> Any:
    return np.asarray(value["__ndarray__"], dtype=value["dtype"]) if "__ndarray__" in value else value
