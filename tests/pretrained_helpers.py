"""What the tests of the shipped pretrained networks share (tests/test_pretrained_*.py).

Pytest puts this folder on ``sys.path``, so a test file imports it as ``pretrained_helpers``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

# Written by Keras 3.14+ and refused by Keras 3.12/3.13 (Colab): the shipped files must not hold them.
NEWER_KERAS_SETTINGS = ("quantization_config", "input_axes", "output_axes", "renorm")


def config_keys(node: object) -> set[str]:
    """Every key of every dictionary anywhere in a (JSON) model config.

    Example: ``config_keys({"a": [{"b": 1}]}) == {"a", "b"}``
    """
    if isinstance(node, dict):
        return set(node) | {key for value in node.values() for key in config_keys(value)}
    if isinstance(node, list):
        return {key for value in node for key in config_keys(value)}
    return set()


def newer_keras_settings_in(path: Path) -> list[str]:
    """The settings of NEWER_KERAS_SETTINGS that the config of the .keras file at ``path`` holds, sorted.

    Example: ``assert not newer_keras_settings_in(Path("data/pretrained/road_signs_generator.keras"))``
    """
    with zipfile.ZipFile(path) as archive:
        model_config = json.loads(archive.read("config.json"))
    return sorted(config_keys(model_config) & set(NEWER_KERAS_SETTINGS))
