"""One call that seeds every random number generator a notebook uses."""

from __future__ import annotations

import numpy as np


def seed_everything(seed: int = 42) -> int:
    """Seed Python's ``random``, NumPy and TensorFlow/Keras with one number.

    This is Keras' ``keras.utils.set_random_seed``, which seeds all three, with a check of the
    argument. (Python's hash seed cannot be changed in a running kernel, and nothing in the
    course depends on it.)

    Args:
        seed: a non-negative integer below 2**32.

    Returns:
        The seed, so a notebook can print or record it.

    Raises:
        ValueError: if ``seed`` is not a non-negative integer below 2**32.

    Example:
        >>> import numpy as np
        >>> _ = seed_everything(7); a = np.random.rand()
        >>> _ = seed_everything(7); b = np.random.rand()
        >>> a == b
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to {2**32 - 1}, got {seed!r}.")
    import keras  # noqa: PLC0415 - imported late so `import course_utils` stays light

    keras.utils.set_random_seed(int(seed))
    return int(seed)
