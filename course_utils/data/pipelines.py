"""From arrays to training input: ``tf.data`` pipelines and the ``[-1, 1]`` range of tanh.

Example:
    >>> import numpy as np
    >>> to_tanh_range(np.array([0.0, 0.5, 1.0])).tolist()
    [-1.0, 0.0, 1.0]
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

ArrayLike = TypeVar("ArrayLike")


def to_tanh_range(x: ArrayLike) -> ArrayLike:
    """Map images from ``[0, 1]`` to ``[-1, 1]`` (for a generator with a tanh output).

    Works on NumPy arrays and tensors alike (it is ``2 x - 1``).

    Example:
        >>> float(to_tanh_range(np.float32(0.25)))
        -0.5
    """
    return x * 2.0 - 1.0


def from_tanh_range(x: ArrayLike) -> ArrayLike:
    """Map images from ``[-1, 1]`` back to ``[0, 1]`` (for display). No clipping is done.

    Example:
        >>> from_tanh_range(np.array([-1.0, 1.0])).tolist()
        [0.0, 1.0]
    """
    return (x + 1.0) / 2.0


def as_dataset(
    *arrays: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    seed: int | None = None,
    repeat: bool = False,
    drop_remainder: bool = True,
) -> Any:
    """Wrap arrays of equal length in a batched, prefetched ``tf.data.Dataset``.

    Several arrays give tuples of batches (``as_dataset(images, labels, batch_size=64)``). The
    whole set is reshuffled every epoch (reproducibly with ``seed``); ``repeat`` repeats it
    forever (for step-based loops); ``drop_remainder`` drops the last, smaller batch.

    Example:
        >>> dataset = as_dataset(np.zeros((10, 2), np.float32), batch_size=4)  # doctest: +SKIP
        >>> [tuple(batch.shape) for batch in dataset]  # doctest: +SKIP
        [(4, 2), (4, 2)]
    """
    if not arrays:
        raise ValueError(
            "as_dataset needs at least one array, e.g. as_dataset(images, batch_size=64)."
        )
    if (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
            or batch_size < 1):
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}.")
    lengths = {len(array) for array in arrays}
    if len(lengths) != 1:
        raise ValueError(
            f"All arrays must have the same number of samples; got lengths "
            f"{[len(array) for array in arrays]}."
        )
    length = lengths.pop()
    if drop_remainder and length < batch_size:
        raise ValueError(
            f"batch_size={batch_size} is larger than the {length} samples, so with "
            "drop_remainder=True there would be no batch at all. Use a smaller batch_size."
        )
    import tensorflow as tf  # noqa: PLC0415 - imported only when a pipeline is asked for

    elements = arrays[0] if len(arrays) == 1 else tuple(arrays)
    dataset = tf.data.Dataset.from_tensor_slices(elements)
    if shuffle:
        dataset = dataset.shuffle(length, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    dataset = dataset.batch(int(batch_size), drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
