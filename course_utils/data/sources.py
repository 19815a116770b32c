"""Where the real data sets come from: canonical URLs with their sizes and sha256 hashes.

Sizes are the servers' ``Content-Length``; hashes are the published ones. Where none is
published (GTSRB training images, pix2pix facades and maps) the hash of the first download is
recorded and later downloads must match it (:mod:`course_utils.data.checksums`).

Example:
    >>> REMOTE_FILES["mnist"].filename
    'mnist.npz'
"""

from __future__ import annotations

from dataclasses import dataclass

GTSRB_BASE_URL = "https://sid.erda.dk/public/archives/daaeac0d7ce1152aea9b61d9f1e19370/"
PIX2PIX_BASE_URL = "http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/"
CYCLEGAN_BASE_URL = "https://efrosgans.eecs.berkeley.edu/cyclegan/datasets/"
KERAS_DATASETS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


@dataclass(frozen=True)
class RemoteFile:
    """One downloadable file: canonical URL, size in bytes and sha256 (``None`` if unknown).

    Example:
        >>> RemoteFile("https://example.org/a/b.zip", 10, None).filename
        'b.zip'
    """

    url: str
    size: int | None
    sha256: str | None

    @property
    def filename(self) -> str:
        """The last part of the URL: the file's name in the cache and on a mirror."""
        return self.url.rsplit("/", 1)[-1]


REMOTE_FILES: dict[str, RemoteFile] = {
    "gtsrb_train": RemoteFile(GTSRB_BASE_URL + "GTSRB_Final_Training_Images.zip", 276_294_756, None),
    "gtsrb_test_images": RemoteFile(
        GTSRB_BASE_URL + "GTSRB_Final_Test_Images.zip", 88_978_620,
        "48ba6fab7e877eb64eaf8de99035b0aaecfbc279bee23e35deca4ac1d0a837fa",
    ),
    "gtsrb_test_labels": RemoteFile(
        GTSRB_BASE_URL + "GTSRB_Final_Test_GT.zip", 99_620,
        "f94e5a7614d75845c74c04ddb26b8796b9e483f43541dd95dd5b726504e16d6d",
    ),
    "facades": RemoteFile(PIX2PIX_BASE_URL + "facades.tar.gz", 30_168_306, None),
    "maps": RemoteFile(PIX2PIX_BASE_URL + "maps.tar.gz", 250_242_400, None),
    "horse2zebra": RemoteFile(
        CYCLEGAN_BASE_URL + "horse2zebra.zip", 116_867_962,
        "a74d9d392eecca9966b51287a76ca126af473d9de4f3e8fc0e9cda08fa1730a1",
    ),
    "mnist": RemoteFile(
        KERAS_DATASETS_URL + "mnist.npz", 11_490_434,
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    ),
}
