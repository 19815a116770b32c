"""Tests of the real-data loaders against small archives built here in the exact real formats
(GTSRB zip of P6 PPMs with ';' CSVs and ROI columns, pix2pix tar.gz of A|B JPEGs, CycleGAN zip
with trainA/trainB/testA/testB, Keras' mnist.npz), served through COURSE_DATA_MIRROR pointing
at a local folder, with REMOTE_FILES pinned to their sizes (and hashes, where the real files
have one). Every bad input of the issue is tested, and nothing may be left behind; a cache
written by another version is rebuilt."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import tarfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from course_utils.data import (
    DataFormatError,
    DataIntegrityError,
    UnknownDataSetError,
    UnsafeArchiveError,
    load,
    load_gtsrb,
    load_horse2zebra,
    load_mnist,
    load_pix2pix,
)
from course_utils.build.data_sets import main
from course_utils.data.download import REMOTE_FILES, RemoteFile
from course_utils.data.real_sets import CACHE_VERSION

CANONICAL = dict(REMOTE_FILES)

COURSE_COLOURS = {1: (230, 40, 40), 7: (40, 200, 40), 14: (40, 40, 230), 16: (230, 230, 40)}
OTHER_CLASS_COLOUR = (200, 0, 200)
LEFT_COLOUR, RIGHT_COLOUR = (200, 40, 40), (40, 40, 200)


# ----------------------------------------------------------------------------- builders


def ppm(width: int, height: int, roi: tuple[int, int, int, int], colour: tuple[int, ...]) -> bytes:
    """A P6 PPM: black, with the ROI (inclusive corners) filled with ``colour``."""
    picture = Image.new("RGB", (width, height), (0, 0, 0))
    ImageDraw.Draw(picture).rectangle(roi, fill=colour)
    stream = io.BytesIO()
    picture.save(stream, format="PPM")
    data = stream.getvalue()
    assert data.startswith(b"P6")
    return data


def jpeg(picture: Image.Image) -> bytes:
    stream = io.BytesIO()
    picture.save(stream, format="JPEG", quality=95)
    return stream.getvalue()


def pair_image(width: int, height: int, left: tuple[int, ...], right: tuple[int, ...]) -> bytes:
    picture = Image.new("RGB", (width, height), left)
    ImageDraw.Draw(picture).rectangle((width // 2, 0, width, height), fill=right)
    return jpeg(picture)


def gtsrb_rows(class_id: int, count: int) -> list[tuple[str, int, int, tuple[int, int, int, int]]]:
    rows = []
    for index in range(count):
        width, height = 40 + 3 * index, 44 + 2 * index
        roi = (5, 6, width - 6, height - 5)  # about 10% border, as in GTSRB
        rows.append((f"{index // 30:05d}_{index % 30:05d}.ppm", width, height, roi))
    return rows


CSV_HEADER = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\n"


def build_gtsrb_train(path: Path, class_ids=(0, 1, 7, 14, 16), per_class: int = 3) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("GTSRB/Readme-Images.txt", "German Traffic Sign Recognition Benchmark\n")
        for class_id in class_ids:
            folder = f"GTSRB/Final_Training/Images/{class_id:05d}/"
            archive.writestr(zipfile.ZipInfo(folder), "")
            lines = [CSV_HEADER]
            colour = COURSE_COLOURS.get(class_id, OTHER_CLASS_COLOUR)
            for name, width, height, roi in gtsrb_rows(class_id, per_class):
                archive.writestr(folder + name, ppm(width, height, roi, colour))
                lines.append(f"{name};{width};{height};{';'.join(map(str, roi))};{class_id}\n")
            archive.writestr(folder + f"GT-{class_id:05d}.csv", "".join(lines))
    return path


def build_gtsrb_test(folder: Path, class_ids=(1, 2, 14, 16, 14)) -> None:
    lines = [CSV_HEADER]
    with zipfile.ZipFile(folder / "GTSRB_Final_Test_Images.zip", "w") as archive:
        unlabelled = ["Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2\n"]
        for index, class_id in enumerate(class_ids):
            name, roi = f"{index:05d}.ppm", (4, 4, 35, 35)
            colour = COURSE_COLOURS.get(class_id, OTHER_CLASS_COLOUR)
            archive.writestr(f"GTSRB/Final_Test/Images/{name}", ppm(40, 40, roi, colour))
            unlabelled.append(f"{name};40;40;4;4;35;35\n")
            lines.append(f"{name};40;40;4;4;35;35;{class_id}\n")
        archive.writestr("GTSRB/Final_Test/Images/GT-final_test.test.csv", "".join(unlabelled))
    with zipfile.ZipFile(folder / "GTSRB_Final_Test_GT.zip", "w") as archive:
        archive.writestr("GT-final_test.csv", "".join(lines))


def build_pix2pix(path: Path, name: str, splits: dict[str, int], width: int = 64) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for split, count in splits.items():
            for number in range(1, count + 1):
                data = pair_image(width, width // 2, LEFT_COLOUR, RIGHT_COLOUR)
                member = tarfile.TarInfo(f"{name}/{split}/{number}.jpg")
                member.size = len(data)
                archive.addfile(member, io.BytesIO(data))
    return path


def build_horse2zebra(path: Path, counts=None) -> Path:
    counts = counts or {"trainA": 3, "trainB": 2, "testA": 1, "testB": 2}
    with zipfile.ZipFile(path, "w") as archive:
        for folder, count in counts.items():
            colour = (140, 90, 40) if folder.endswith("A") else (235, 235, 235)
            for index in range(count):
                picture = Image.new("RGB", (48, 48), colour)
                archive.writestr(f"horse2zebra/{folder}/n0{index:04d}.jpg", jpeg(picture))
    return path


def build_mnist(path: Path) -> Path:
    rng = np.random.default_rng(0)
    arrays = {}
    for split, count in (("train", 6), ("test", 3)):
        images = np.zeros((count, 28, 28), dtype=np.uint8)
        images[:, 6:22, 12:16] = 240  # a "1"
        images += rng.integers(0, 10, size=images.shape, dtype=np.uint8)
        arrays[f"x_{split}"] = images
        arrays[f"y_{split}"] = np.arange(count, dtype=np.uint8) % 10
    np.savez(path, **arrays)
    return path


def pin(folder: Path, monkeypatch) -> None:
    """Pin REMOTE_FILES to the test files in ``folder``: their sizes, and their sha256 where the
    real file has a published one (the others are checked by size and the recorded hash)."""
    for key, remote in CANONICAL.items():
        data = (folder / remote.filename).read_bytes()
        sha256 = hashlib.sha256(data).hexdigest() if remote.sha256 else None
        monkeypatch.setitem(REMOTE_FILES, key, RemoteFile(remote.url, len(data), sha256))


def build_mirror(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    build_gtsrb_train(folder / "GTSRB_Final_Training_Images.zip")
    build_gtsrb_test(folder)
    build_pix2pix(folder / "facades.tar.gz", "facades", {"train": 3, "val": 1, "test": 2})
    build_pix2pix(folder / "maps.tar.gz", "maps", {"train": 2, "val": 1}, width=80)
    build_horse2zebra(folder / "horse2zebra.zip")
    build_mnist(folder / "mnist.npz")
    return folder


def leftovers(folder: Path) -> list[str]:
    """Unfinished extractions and temporary files under ``folder``."""
    return [str(path) for path in folder.rglob("*")
            if path.name.endswith("_extracted")
            or path.name.startswith(".") and path.suffix in (".npz", ".json")]


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Tests must never reach the real network: only 127.0.0.1 and local files may be opened."""
    real_urlopen = urllib.request.urlopen

    def guarded(request, *args, **kwargs):
        url = request.full_url if isinstance(request, urllib.request.Request) else str(request)
        if not url.startswith(("http://127.0.0.1", "file:")):
            raise urllib.error.URLError(socket.gaierror(-3, "no network in tests"))
        return real_urlopen(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(home))
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    return home


@pytest.fixture(scope="module")
def mirror_template(tmp_path_factory) -> Path:
    return build_mirror(tmp_path_factory.mktemp("mirror-template"))


@pytest.fixture
def mirror(tmp_path, monkeypatch, data_home, mirror_template) -> Path:
    """A private copy of the mirror folder (tests may damage it), set as COURSE_DATA_MIRROR."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for path in mirror_template.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(folder))
    pin(folder, monkeypatch)
    return folder


# ----------------------------------------------------------------------------- GTSRB


def test_gtsrb_loads_the_course_classes_with_course_labels(mirror, data_home):
    images, labels = load_gtsrb(size=32)
    assert images.shape == (12, 32, 32, 3) and images.dtype == np.float32
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [3, 3, 3, 3]  # class 0 of GTSRB is left out
    for label, gtsrb_id in enumerate((1, 7, 14, 16)):
        centre = images[labels == label][:, 12:20, 12:20].mean(axis=(0, 1, 2)) * 255
        assert np.allclose(centre, COURSE_COLOURS[gtsrb_id], atol=3)
    stop_only, stop_labels = load_gtsrb(classes=(14,), size=32)
    assert stop_only.shape == (3, 32, 32, 3) and set(stop_labels.tolist()) == {2}
    by_name = load_gtsrb(classes=["no_trucks"], size=32)[1]
    assert set(by_name.tolist()) == {3}
    with pytest.raises(ValueError, match="GTSRB ids"):
        load_gtsrb(classes=(10,))


def test_gtsrb_crops_to_the_roi_with_a_border(mirror, data_home):
    tight, _ = load_gtsrb(size=32, border=0.0)
    framed, _ = load_gtsrb(size=32, border=0.1)
    # Tight crops are all sign; with a 10% border the black frame of the photo shows.
    assert tight[:, 0, :, :].max(axis=2).min() > 0.1
    assert framed[:, 0, :, :].max() < 0.1 and framed[:, :, 0, :].max() < 0.1
    assert framed[:, 16, 16].max(axis=1).min() > 0.1


def test_gtsrb_is_extracted_safely_converted_once_and_cached(mirror, data_home, monkeypatch):
    load_gtsrb(size=32)
    folder = data_home / "gtsrb"
    assert (folder / "GTSRB_Final_Training_Images.zip").is_file()
    extracted = folder / "extracted_train" / "GTSRB" / "Final_Training" / "Images"
    assert sorted(path.name for path in extracted.iterdir()) == ["00000", "00001", "00007", "00014",
                                                                 "00016"]
    caches = list(folder.glob("*.npz"))
    assert len(caches) == 1
    recorded = json.loads((data_home / "recorded_sha256.json").read_text())
    train = mirror / "GTSRB_Final_Training_Images.zip"  # no published hash: the first one is kept
    assert recorded == {train.resolve().as_uri(): {"sha256": hashlib.sha256(train.read_bytes()).hexdigest(),
                                                   "size": train.stat().st_size}}
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror.parent / "empty"))  # no source at all
    images, labels = load_gtsrb(size=32)  # served from the cache
    assert len(images) == 12
    assert leftovers(data_home) == []


def test_gtsrb_test_split_uses_the_label_archive(mirror, data_home):
    images, labels = load_gtsrb(size=24, split="test")
    assert images.shape == (4, 24, 24, 3)  # class 2 is not a course class
    assert sorted(labels.tolist()) == [0, 2, 2, 3]
    with pytest.raises(ValueError, match="splits"):
        load_gtsrb(split="validation")


def test_missing_class_folder_is_a_clear_error_and_leaves_nothing(mirror, data_home, monkeypatch):
    build_gtsrb_train(mirror / "GTSRB_Final_Training_Images.zip", class_ids=(1, 7, 14))
    pin(mirror, monkeypatch)
    with pytest.raises(DataFormatError, match="00016"):
        load_gtsrb(size=32)
    folder = data_home / "gtsrb"
    assert not (folder / "GTSRB_Final_Training_Images.zip").exists()
    assert not (folder / "extracted_train").exists()
    assert list(folder.glob("*.npz")) == [] and leftovers(data_home) == []


# ----------------------------------------------------------------------------- pix2pix, CycleGAN, MNIST


def test_facades_are_split_into_halves_in_the_documented_direction(mirror, data_home):
    inputs, targets = load_pix2pix("facades", size=32, split="train")
    assert inputs.shape == targets.shape == (3, 32, 32, 3) and inputs.dtype == np.float32
    # default labels_to_photo: inputs are the right halves (label maps), targets the left
    assert np.allclose(inputs.mean(axis=(0, 1, 2)) * 255, RIGHT_COLOUR, atol=12)
    assert np.allclose(targets.mean(axis=(0, 1, 2)) * 255, LEFT_COLOUR, atol=12)
    reverse_inputs, _ = load_pix2pix("facades", size=32, split="train", direction="photo_to_labels")
    assert np.allclose(reverse_inputs, targets)
    assert len(load_pix2pix("facades", size=32, split="test")[0]) == 2
    with pytest.raises(ValueError, match="directions"):
        load_pix2pix("facades", direction="sideways")


def test_maps_have_train_and_val_only(mirror, data_home):
    inputs, targets = load_pix2pix("maps", size=40, split="val")
    assert inputs.shape == (1, 40, 40, 3)
    assert np.allclose(inputs.mean(axis=(0, 1, 2)) * 255, RIGHT_COLOUR, atol=12)  # map_to_aerial
    with pytest.raises(ValueError, match="splits"):
        load_pix2pix("maps", split="test")
    with pytest.raises(ValueError, match="pix2pix"):
        load_pix2pix("edges2shoes")


def test_horse2zebra_gives_two_unpaired_domains(mirror, data_home):
    horses, zebras = load_horse2zebra(size=32)
    assert horses.shape == (3, 32, 32, 3) and zebras.shape == (2, 32, 32, 3)
    assert horses.dtype == zebras.dtype == np.float32
    assert horses.mean() < zebras.mean()  # brown horses, white zebras in the fixture
    test_horses, test_zebras = load_horse2zebra(size=32, split="test")
    assert (len(test_horses), len(test_zebras)) == (1, 2)


def test_cyclegan_archive_without_a_domain_folder_is_refused(mirror, data_home, monkeypatch):
    build_horse2zebra(mirror / "horse2zebra.zip", {"trainA": 1, "testA": 1, "testB": 1})
    pin(mirror, monkeypatch)
    with pytest.raises(DataFormatError, match="trainB"):
        load_horse2zebra(size=32)
    assert not (data_home / "horse2zebra" / "horse2zebra.zip").exists()


def test_mnist_is_resized_like_the_offline_digits(mirror, data_home):
    images, labels = load_mnist(size=32)
    assert images.shape == (6, 32, 32, 1) and images.dtype == np.float32
    assert labels.tolist() == [0, 1, 2, 3, 4, 5]
    assert images[:, 16, 16, 0].min() > 0.8 and images[:, 2, 2, 0].max() < 0.1
    assert load_mnist(size=28, split="test")[0].shape == (3, 28, 28, 1)


def test_a_bad_mnist_file_is_refused_and_deleted(mirror, data_home, monkeypatch):
    np.savez(mirror / "mnist.npz", x_train=np.zeros((2, 28, 28), np.uint8))
    pin(mirror, monkeypatch)
    with pytest.raises(DataFormatError, match="lacks"):
        load_mnist()
    assert not (data_home / "mnist" / "mnist.npz").exists()


@pytest.mark.parametrize(
    "stale",
    [b"", b"PK\x03\x04 cut off while being written", "no version", "other version", "missing array"],
    ids=["empty", "truncated", "no-version", "other-version", "missing-array"],
)
def test_a_cache_written_by_another_version_is_rebuilt(mirror, data_home, stale):
    cache = data_home / "mnist" / "mnist_train_32px.npz"
    cache.parent.mkdir(parents=True)
    if stale == "no version":  # right arrays, other contents, no version: an older course
        np.savez(cache, images=np.zeros((2, 32, 32), np.uint8), labels=np.zeros(2, np.int64))
    elif stale == "other version":
        np.savez(cache, images=np.zeros((2, 32, 32), np.uint8), labels=np.zeros(2, np.int64),
                 cache_version=CACHE_VERSION + 1)
    elif stale == "missing array":
        np.savez(cache, images=np.zeros((2, 32, 32), np.uint8), cache_version=CACHE_VERSION)
    else:
        cache.write_bytes(stale)
    images, labels = load_mnist(size=32)
    assert images.shape == (6, 32, 32, 1) and labels.tolist() == [0, 1, 2, 3, 4, 5]
    with np.load(cache) as stored:
        assert int(stored["cache_version"]) == CACHE_VERSION and len(stored["labels"]) == 6
    assert leftovers(data_home) == []


# ----------------------------------------------------------------------------- load()


@pytest.mark.parametrize(
    ("name", "options"),
    [("gtsrb", {"size": 32}), ("mnist", {"size": 32}), ("facades", {"size": 32}),
     ("maps", {"size": 32}), ("horse2zebra", {"size": 32})],
)
def test_online_data_has_the_offline_defaults_format(mirror, data_home, name, options):
    offline = load(name, source="offline", n=4, seed=0, **options)
    online = load(name, source="online", seed=0, **options)
    assert len(offline) == len(online) == 2
    for offline_array, online_array in zip(offline, online):
        assert offline_array.shape[1:] == online_array.shape[1:]
        assert offline_array.dtype == online_array.dtype


def test_load_switches_by_either_name_and_takes_a_subset(mirror, data_home):
    images, labels = load("road_signs", source="online", n=5, classes=["stop", "no_trucks"],
                          size=32, seed=1)
    assert images.shape == (5, 32, 32, 3) and set(labels.tolist()) <= {2, 3}
    offline_images, offline_labels = load("gtsrb", source="offline", classes=["stop"], size=32,
                                          seed=0)
    assert offline_images.shape == (1500, 32, 32, 3) and set(offline_labels.tolist()) == {2}
    circles, squares = load("circles_squares", n=3, size=32, seed=0)
    assert circles.shape == squares.shape == (3, 32, 32, 3)
    assert not np.array_equal(circles, squares)


def test_unknown_names_sources_and_options_are_clear_errors(data_home):
    with pytest.raises(UnknownDataSetError, match="knows"):
        load("cifar10")
    with pytest.raises(ValueError, match="source"):
        load("gtsrb", source="cloud")
    with pytest.raises(ValueError, match="does not take"):
        load("mnist", colour="red")


def test_no_network_prints_a_message_and_returns_the_offline_data(data_home, capsys):
    images, labels = load("gtsrb", source="online", n=8, size=32, seed=0)  # canonical: blocked
    message = capsys.readouterr().out
    assert "Could not fetch the gtsrb data set" in message and "offline 'road_signs'" in message
    assert images.shape == (8, 32, 32, 3) and labels.shape == (8,)
    assert np.array_equal(images, load("road_signs", n=8, size=32, seed=0)[0])
    assert leftovers(data_home) == []
    assert not list(data_home.rglob("*.zip"))


def test_an_unreachable_mirror_also_falls_back(data_home, monkeypatch, capsys):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("COURSE_DATA_MIRROR", f"http://127.0.0.1:{port}/course-data")
    inputs, targets = load("facades", source="online", n=3, size=32, seed=0)
    assert "Could not fetch the facades data set" in capsys.readouterr().out
    assert inputs.shape == (3, 32, 32, 3)
    assert leftovers(data_home) == []


# ----------------------------------------------------------------------------- bad archives


def test_a_corrupt_archive_is_refused_and_deleted(mirror, data_home, monkeypatch):
    (mirror / "facades.tar.gz").write_bytes(b"\x1f\x8b\x08" + bytes(range(200)) * 20)
    pin(mirror, monkeypatch)  # the hash matches: the archive itself is broken
    with pytest.raises(DataFormatError, match="damaged|neither"):
        load_pix2pix("facades", size=32)
    folder = data_home / "facades"
    assert not (folder / "facades.tar.gz").exists() and not (folder / "extracted").exists()
    assert json.loads((data_home / "recorded_sha256.json").read_text()) == {}  # its hash forgotten
    assert leftovers(data_home) == []


def test_a_wrong_hash_is_refused_and_nothing_is_kept(mirror, data_home, monkeypatch):
    monkeypatch.setitem(REMOTE_FILES, "mnist", RemoteFile(CANONICAL["mnist"].url,
                                                          REMOTE_FILES["mnist"].size, "0" * 64))
    with pytest.raises(DataIntegrityError, match="sha256"):
        load_mnist()
    assert not (data_home / "mnist" / "mnist.npz").exists()
    assert leftovers(data_home) == []


def test_a_mirror_must_serve_the_canonical_file(mirror, data_home, monkeypatch):
    monkeypatch.setitem(REMOTE_FILES, "mnist", CANONICAL["mnist"])
    with pytest.raises(DataIntegrityError, match="11,490,434"):
        load_mnist()  # the tiny test file is not Keras' mnist.npz
    assert leftovers(data_home) == [] and not (data_home / "mnist" / "mnist.npz").exists()


def _tar_with(path: Path, member: tarfile.TarInfo, data: bytes = b"") -> None:
    with tarfile.open(path, "w:gz") as archive:
        ok = tarfile.TarInfo("facades/train/1.jpg")
        picture = pair_image(64, 32, LEFT_COLOUR, RIGHT_COLOUR)
        ok.size = len(picture)
        archive.addfile(ok, io.BytesIO(picture))
        member.size = len(data) if member.isfile() else 0
        archive.addfile(member, io.BytesIO(data) if data else None)


def _symlink(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.SYMTYPE, target
    return member


def _hardlink(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.LNKTYPE, target
    return member


@pytest.mark.parametrize(
    ("member", "data", "message"),
    [
        (tarfile.TarInfo("facades/../../evil.txt"), b"gotcha", r"facades/\.\./\.\./evil.txt"),
        (tarfile.TarInfo("/tmp/evil-absolute.txt"), b"gotcha", "/tmp/evil-absolute.txt"),
        (_symlink("facades/train/2.jpg", "/etc/passwd"), b"", "facades/train/2.jpg"),
        (_hardlink("facades/train/3.jpg", "/etc/passwd"), b"", "facades/train/3.jpg"),
    ],
    ids=["dot-dot", "absolute", "symlink", "hardlink"],
)
def test_unsafe_tar_members_are_refused(mirror, data_home, tmp_path, member, data, message, monkeypatch):
    _tar_with(mirror / "facades.tar.gz", member, data)
    pin(mirror, monkeypatch)
    with pytest.raises(UnsafeArchiveError, match=message):
        load_pix2pix("facades", size=32)
    assert not (data_home / "facades" / "facades.tar.gz").exists()
    assert not (data_home / "facades" / "extracted").exists()
    assert not list(tmp_path.rglob("evil*")) and not Path("/tmp/evil-absolute.txt").exists()
    assert leftovers(data_home) == []


def test_a_symlink_in_a_zip_is_never_made_a_link(mirror, data_home, monkeypatch):
    with zipfile.ZipFile(mirror / "horse2zebra.zip", "w") as archive:
        archive.writestr("horse2zebra/trainA/a.jpg", jpeg(Image.new("RGB", (8, 8))))
        link = zipfile.ZipInfo("horse2zebra/trainB/b.jpg")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, "/etc/passwd")
    pin(mirror, monkeypatch)
    with pytest.raises(DataFormatError, match="Cannot read the image"):  # a file holding the target
        load_horse2zebra(size=32)
    assert not (data_home / "horse2zebra" / "horse2zebra.zip").exists()
    assert not [path for path in data_home.rglob("*") if path.is_symlink()]


def test_an_absolute_zip_member_is_refused(mirror, data_home, monkeypatch):
    with zipfile.ZipFile(mirror / "GTSRB_Final_Training_Images.zip", "w") as archive:
        archive.writestr("/GTSRB/Final_Training/Images/00001/GT-00001.csv", CSV_HEADER)
    pin(mirror, monkeypatch)
    with pytest.raises(UnsafeArchiveError, match="outside the extraction folder"):
        load_gtsrb()
    assert leftovers(data_home) == []


# ----------------------------------------------------------------------------- command line


def test_fetch_prints_what_it_holds_as_text_and_json(mirror, data_home, capsys):
    assert main(["fetch", "facades", "--size", "32"]) == 0
    text = capsys.readouterr().out
    assert "train: 3 images, array shape (3, 32, 32, 3)" in text and "val: 1 images" in text
    assert main(["fetch", "gtsrb", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["splits"]["train"]["count"] == 12
    assert summary["splits"]["train"]["per_class"]["stop (GTSRB 14)"] == 3
    assert summary["splits"]["train"]["shape"] == [12, 32, 32, 3]
    assert main(["list", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["facades"]["converted"] and rows["facades"]["available"]
    assert not rows["maps"]["available"] and rows["road_signs"]["available"]
    assert main(["list"]) == 0
    assert "not downloaded (offline: circles_to_rectangles)" in capsys.readouterr().out


def test_fetch_reports_problems_without_a_traceback(data_home, capsys, monkeypatch):
    assert main(["fetch", "mnist"]) == 1  # no network in tests
    err = capsys.readouterr().err  # get_file's "Downloading data from ..." comes first
    assert err.splitlines()[-1].startswith("error: no network: could not download") and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_info:
        main(["fetch", "cifar10"])
    assert exit_info.value.code == 2
    monkeypatch.setenv("COURSE_DATA_MIRROR", "/no/such/folder")
    assert main(["fetch", "mnist"]) == 1
    assert "neither a URL nor an existing folder" in capsys.readouterr().err
