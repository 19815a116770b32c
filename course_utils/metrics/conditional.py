"""Conditional accuracy ("GAN-test"): does a conditional generator draw the class it was asked for?

A judge trained on real images classifies the generated ones; a generator that ignores its
label scores about 1 / (number of classes).

Example:
    >>> from course_utils.data import road_signs
    >>> from course_utils.metrics.judges import load_judge
    >>> judge = load_judge("road_signs")
    >>> images, labels = road_signs(200, seed=1)
    >>> result = conditional_accuracy(judge, images, labels)
    >>> result.overall > 0.9
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from course_utils.checks import InputError

if TYPE_CHECKING:
    from course_utils.metrics.judges import Judge


@dataclass(frozen=True)
class ConditionalAccuracy:
    """A judge's accuracy on images generated for each asked-for class."""

    overall: float
    per_class: dict[str, float]
    counts: dict[str, int]
    worst_class: str
    worst_accuracy: float
    confusion: list[list[int]] = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the numbers as a plain dict (for ``quality_check(details=...)``).

        Example:
            >>> ConditionalAccuracy(1.0, {"a": 1.0}, {"a": 3}, "a", 1.0, [[3]]).as_dict()["overall"]
            1.0
        """
        return {
            "overall": self.overall,
            "per_class": dict(self.per_class),
            "counts": dict(self.counts),
            "worst_class": self.worst_class,
            "worst_accuracy": self.worst_accuracy,
            "confusion": [list(row) for row in self.confusion],
        }


def conditional_accuracy(judge: Judge, images: Any, asked_labels: Any) -> ConditionalAccuracy:
    """Return the judge's accuracy on ``images`` generated for ``asked_labels`` (names or indices):
    overall, per asked-for class with counts, the worst class, and confusion counts ``[asked][judged]``.

    Example:
        >>> from course_utils.data import shapes_dataset
        >>> from course_utils.metrics.judges import load_judge
        >>> judge = load_judge("shapes")
        >>> images, labels = shapes_dataset(90, seed=1)
        >>> sorted(conditional_accuracy(judge, images, labels).per_class)
        ['circle', 'rectangle', 'square']
    """
    label_array = np.asarray(asked_labels).reshape(-1)
    indices = np.array([judge.class_index(label.item() if hasattr(label, "item") else label)
                        for label in label_array], dtype=np.int64)
    predictions = judge.predict(images)
    if predictions.shape[0] != indices.shape[0]:
        raise InputError(
            f"Got {predictions.shape[0]} images but {indices.shape[0]} asked-for labels; "
            "give the label each image was generated for."
        )
    class_count = len(judge.classes)
    confusion = np.zeros((class_count, class_count), dtype=np.int64)
    np.add.at(confusion, (indices, predictions), 1)
    per_class: dict[str, float] = {}
    counts: dict[str, int] = {}
    for index, name in enumerate(judge.classes):
        asked = int(confusion[index].sum())
        if asked:
            per_class[name] = float(confusion[index, index] / asked)
            counts[name] = asked
    worst_class = min(per_class, key=per_class.__getitem__)
    return ConditionalAccuracy(
        overall=float(np.mean(predictions == indices)),
        per_class=per_class,
        counts=counts,
        worst_class=worst_class,
        worst_accuracy=per_class[worst_class],
        confusion=confusion.tolist(),
    )
