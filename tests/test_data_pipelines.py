"""Tests of as_dataset: batching, shuffling under a seed, repeating, and its input checks."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.data import as_dataset


def test_one_array_gives_batches_of_it():
    data = np.arange(10, dtype=np.float32)[:, None]
    batches = [batch.numpy() for batch in as_dataset(data, batch_size=4, shuffle=False)]
    assert [batch.shape for batch in batches] == [(4, 1), (4, 1)]  # the remainder is dropped
    assert batches[0][:, 0].tolist() == [0, 1, 2, 3]
    kept = list(as_dataset(data, batch_size=4, shuffle=False, drop_remainder=False))
    assert [len(batch) for batch in kept] == [4, 4, 2]


def test_several_arrays_stay_aligned_when_shuffled():
    images = np.arange(20, dtype=np.float32).reshape(20, 1)
    labels = np.arange(20, dtype=np.int64)
    seen = []
    for image_batch, label_batch in as_dataset(images, labels, batch_size=5, seed=3):
        assert np.array_equal(image_batch.numpy()[:, 0], label_batch.numpy().astype(np.float32))
        seen.extend(label_batch.numpy().tolist())
    assert sorted(seen) == list(range(20)) and seen != list(range(20))
    again = [b.numpy().tolist() for _, b in as_dataset(images, labels, batch_size=5, seed=3)]
    assert sum(again, []) == seen  # reproducible under a seed


def test_repeat_goes_on_past_one_epoch():
    dataset = as_dataset(np.zeros((6, 2), np.float32), batch_size=4, repeat=True)
    assert len(list(dataset.take(5))) == 5


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="at least one array"):
        as_dataset(batch_size=2)
    with pytest.raises(ValueError, match="same number"):
        as_dataset(np.zeros(3), np.zeros(4), batch_size=2)
    with pytest.raises(ValueError, match="batch_size"):
        as_dataset(np.zeros(3), batch_size=0)
    with pytest.raises(ValueError, match="no batch"):
        as_dataset(np.zeros(3), batch_size=8)
