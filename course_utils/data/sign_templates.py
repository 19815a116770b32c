"""Clean, front-on pictures of the four German road signs the course renders.

Each template is an RGBA image: the sign on a transparent background, drawn at a high
resolution (supersampled, so its edges are smooth) and cached, then shrunk with a Lanczos
filter to whatever size the renderer asks for (also cached). Shapes and colours follow the
German signs (StVO): round signs are a white disc in a red ring with a thin white edge; the
stop sign is a red octagon with a white edge and white letters; the "no trucks" sign (Zeichen
253, vehicles over 3.5 t prohibited) shows a black lorry facing left. Digits and letters are
drawn with the DejaVu Sans Bold font that ships inside matplotlib, narrowed to the proportions
of the German road-sign lettering (DIN 1451).

Example:
    >>> template = sign_template("stop", 40)
    >>> template.mode, template.size
    ('RGBA', (40, 40))
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIGN_CLASSES: tuple[str, ...] = ("speed_limit_30", "speed_limit_100", "stop", "no_trucks")
# More speed limits, for the road-sign judge only: it must read the number, not just see a ring.
EXTRA_SPEED_LIMITS: tuple[str, ...] = tuple(f"speed_limit_{limit}" for limit in (20, 50, 60, 70, 80, 120))
ALL_SIGNS: tuple[str, ...] = SIGN_CLASSES + EXTRA_SPEED_LIMITS
# Template names outside ALL_SIGNS: "ring:TEXT" is a round sign with any text in it (an unknown
# or garbled number), "smudged:SIGN" is SIGN with the ink of its number smeared into a blot.
RING_PREFIX = "ring:"
SMUDGED_PREFIX = "smudged:"

SIGN_RED = (196, 18, 28)
SIGN_WHITE = (240, 240, 236)
EDGE_WHITE = (226, 228, 228)
SIGN_BLACK = (22, 22, 24)

# Geometry in units of the sign's diameter (width for the octagon).
MARGIN = 0.03  # transparent margin around the sign, as a share of the template side
RING_OUTER_RADIUS = 0.485  # outside it: the thin white edge up to radius 0.5
RING_INNER_RADIUS = 0.375
_MASTER_SIZE = 640
_SUPERSAMPLING = 2


def font_path(bold: bool = True) -> Path:
    """Return the path of matplotlib's DejaVu Sans (bold by default), which ships offline.

    Example:
        >>> font_path().name
        'DejaVuSans-Bold.ttf'
    """
    import matplotlib  # noqa: PLC0415 - only needed when a template is first drawn

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    if path.is_file():
        return path
    from matplotlib import font_manager  # noqa: PLC0415

    found = font_manager.findfont(
        font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal"),
        fallback_to_default=True,
    )
    return Path(found)


def _text_mask(text: str, width: int, height: int) -> Image.Image:
    """The ink of ``text`` in DejaVu Sans Bold, stretched to exactly ``width x height``."""
    font = ImageFont.truetype(str(font_path()), size=400)
    left, top, right, bottom = font.getbbox(text)
    canvas = Image.new("L", (right - left + 20, bottom - top + 20), 0)
    ImageDraw.Draw(canvas).text((10 - left, 10 - top), text, fill=255, font=font)
    ink = canvas.crop(canvas.getbbox())
    return ink.resize((max(1, width), max(1, height)), Image.Resampling.LANCZOS)


def _paste_text(picture: Image.Image, text: str, box_width: float, box_height: float,
                colour: tuple[int, int, int], centre_y: float = 0.5) -> None:
    side = picture.size[0]
    width, height = round(box_width * side), round(box_height * side)
    mask = _text_mask(text, width, height)
    left = round((side - width) / 2)
    top = round(centre_y * side - height / 2)
    picture.paste(Image.new("RGBA", mask.size, colour + (255,)), (left, top), mask)


def _circle(draw: ImageDraw.ImageDraw, side: int, radius: float, colour: tuple[int, ...]) -> None:
    centre = side / 2
    r = radius * side
    draw.ellipse((centre - r, centre - r, centre + r, centre + r), fill=colour)


def _round_sign(side: int) -> Image.Image:
    picture = Image.new("RGBA", (side, side), EDGE_WHITE + (0,))
    draw = ImageDraw.Draw(picture)
    _circle(draw, side, 0.5, EDGE_WHITE + (255,))
    _circle(draw, side, RING_OUTER_RADIUS, SIGN_RED + (255,))
    _circle(draw, side, RING_INNER_RADIUS, SIGN_WHITE + (255,))
    return picture


def _octagon(side: float, apothem: float, offset: float) -> list[tuple[float, float]]:
    """Vertices of a flat-topped regular octagon centred in a square of ``side``."""
    circumradius = apothem / math.cos(math.pi / 8)
    centre = offset + side / 2
    return [
        (centre + circumradius * side * math.cos(math.pi / 8 + k * math.pi / 4),
         centre + circumradius * side * math.sin(math.pi / 8 + k * math.pi / 4))
        for k in range(8)
    ]


def _stop_sign(side: int) -> Image.Image:
    picture = Image.new("RGBA", (side, side), EDGE_WHITE + (0,))
    draw = ImageDraw.Draw(picture)
    draw.polygon(_octagon(side, 0.5, 0.0), fill=EDGE_WHITE + (255,))
    draw.polygon(_octagon(side, 0.465, 0.0), fill=SIGN_RED + (255,))
    _paste_text(picture, "STOP", box_width=0.70, box_height=0.27, colour=SIGN_WHITE)
    return picture


def _lorry(picture: Image.Image) -> None:
    """Draw the black lorry of Zeichen 253 (cab on the left) in the middle of the sign."""
    side = picture.size[0]
    width, height = 0.56 * side, 0.31 * side
    left, top = (side - width) / 2, (side - height) / 2 - 0.01 * side
    draw = ImageDraw.Draw(picture)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (left + x0 * width, top + y0 * height, left + x1 * width, top + y1 * height)

    def polygon(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(left + x * width, top + y * height) for x, y in points]

    black = SIGN_BLACK + (255,)
    white = SIGN_WHITE + (255,)
    draw.rectangle(box(0.31, 0.0, 1.0, 0.74), fill=black)  # cargo box
    draw.polygon(  # cab with a slanted windscreen
        polygon([(0.0, 0.40), (0.07, 0.20), (0.27, 0.20), (0.27, 0.74), (0.0, 0.74)]), fill=black
    )
    draw.polygon(  # cab window
        polygon([(0.06, 0.42), (0.10, 0.28), (0.21, 0.28), (0.21, 0.42)]), fill=white
    )
    draw.rectangle(box(0.0, 0.70, 1.0, 0.82), fill=black)  # chassis
    wheel_radius = 0.13 * height
    for centre_x in (0.13, 0.66, 0.86):
        cx, cy = left + centre_x * width, top + 0.86 * height
        draw.ellipse((cx - wheel_radius * 1.25, cy - wheel_radius * 1.25,
                      cx + wheel_radius * 1.25, cy + wheel_radius * 1.25), fill=white)
        draw.ellipse((cx - wheel_radius, cy - wheel_radius, cx + wheel_radius, cy + wheel_radius),
                     fill=black)


def _number_sign(side: int, text: str, smudge: float = 0.0) -> Image.Image:
    """A round sign with black ``text``: two characters 0.44 wide, three 0.56 (as 30 and 100).

    ``smudge`` > 0 smears the ink with a Gaussian blur of that share of the side (a blot).
    """
    picture = _round_sign(side)
    if not text:
        return picture
    width = {1: 0.24, 2: 0.44}.get(len(text), 0.56)
    height = 0.37 if len(text) <= 2 else 0.33
    if smudge <= 0:
        _paste_text(picture, text, box_width=width, box_height=height, colour=SIGN_BLACK)
        return picture
    ink = Image.new("L", (side, side), 0)
    box_width, box_height = round(width * side), round(height * side)
    ink.paste(_text_mask(text, box_width, box_height), (round((side - box_width) / 2), round((side - box_height) / 2)))
    ink = ink.filter(ImageFilter.GaussianBlur(smudge * side))
    picture.paste(Image.new("RGBA", (side, side), SIGN_BLACK + (255,)), (0, 0), ink)
    return picture


def _draw_master(sign: str) -> Image.Image:
    side = _MASTER_SIZE * _SUPERSAMPLING
    inner = round(side * (1 - 2 * MARGIN))
    if sign.startswith("speed_limit_"):
        picture = _number_sign(inner, sign[len("speed_limit_"):])
    elif sign.startswith(RING_PREFIX):
        picture = _number_sign(inner, sign[len(RING_PREFIX):])
    elif sign.startswith(SMUDGED_PREFIX):
        picture = _number_sign(inner, sign[len(SMUDGED_PREFIX) + len("speed_limit_"):], smudge=0.07)
    elif sign == "stop":
        picture = _stop_sign(inner)
    elif sign == "no_trucks":
        picture = _round_sign(inner)
        _lorry(picture)
    else:
        raise ValueError(f"Unknown sign {sign!r}; the course draws {', '.join(SIGN_CLASSES)}.")
    framed = Image.new("RGBA", (side, side), EDGE_WHITE + (0,))
    offset = (side - inner) // 2
    framed.paste(picture, (offset, offset))
    return framed.resize((_MASTER_SIZE, _MASTER_SIZE), Image.Resampling.LANCZOS)


def check_template_name(sign: str) -> str:
    """Return ``sign`` if the course can draw it: a name in ``ALL_SIGNS``, ``"ring:TEXT"`` or
    ``"smudged:speed_limit_N"``; otherwise raise ``ValueError``.

    Example:
        >>> check_template_name("ring:38"), check_template_name("smudged:speed_limit_30")
        ('ring:38', 'smudged:speed_limit_30')
    """
    known = (sign in ALL_SIGNS or (isinstance(sign, str) and sign.startswith(RING_PREFIX) and len(sign) <= 9)
             or (isinstance(sign, str) and sign.startswith(SMUDGED_PREFIX)
                 and sign[len(SMUDGED_PREFIX):] in ALL_SIGNS and "speed_limit" in sign))
    if not known:
        raise ValueError(f"Unknown sign {sign!r}; the course draws {', '.join(ALL_SIGNS)}, "
                         f"'{RING_PREFIX}TEXT' (up to 4 characters) and '{SMUDGED_PREFIX}speed_limit_N'.")
    return sign


@functools.lru_cache(maxsize=None)
def _master(sign: str) -> Image.Image:
    return _draw_master(sign)


@functools.lru_cache(maxsize=64)
def sign_template(sign: str, side: int) -> Image.Image:
    """Return the clean RGBA template of ``sign`` as a ``side x side`` image (cached).

    The sign fills the template but for a transparent margin of 3% on each side; transparent
    pixels carry the colour of the sign's white edge, so resampling never darkens the rim.

    Example:
        >>> sign_template("speed_limit_30", 24).getpixel((12, 12))[3]
        255
    """
    check_template_name(sign)
    if side < 4:
        raise ValueError(f"A sign template needs at least 4 pixels, got side={side}.")
    return _master(sign).resize((side, side), Image.Resampling.LANCZOS)
