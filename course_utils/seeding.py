"""One call that seeds every random number generator a notebook uses."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_everything(seed: int = 42) -> int:
    """Seed Python's ``random``, NumPy and TensorFlow/Keras with one number.

    Keras' ``set_random_seed`` seeds Python, NumPy and the TensorFlow backend together; the
    other two are seeded here as well so the call also works before Keras is importable.

    Args:
        seed: a non-negative integer.

    Returns:
        The seed, so a notebook can print or record it.

    Raises:
        ValueError: if ``seed`` is not a non-negative integer.

    Example:
        >>> import numpy as np
        >>> _ = seed_everything(7); a = np.random.rand()
        >>> _ = seed_everything(7); b = np.random.rand()
        >>> a == b
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    import keras  # noqa: PLC0415 - imported late so `import course_utils` stays light

    keras.utils.set_random_seed(seed)
    return seed
