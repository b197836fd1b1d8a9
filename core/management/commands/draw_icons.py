"""Draws the site's icons into static/icons/: the masthead's serif "N" in its red, under its red rule.

The shapes are drawn once, as polygons on a 100-unit square, both into the SVG favicon and, with
Pillow, into the PNGs and the .ico; the files are committed, so this only runs after a redesign.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

PAPER = "#ffffff"
ACCENT = "#b3131b"  # --accent in static/css/site.css
# A serif N: thin stems, a thick diagonal, bracket-less serifs; and the masthead's top rule.
RULE = [(0, 0), (100, 0), (100, 9), (0, 9)]
LETTER = [
    [(26, 27), (33, 27), (33, 86), (26, 86)],  # left stem
    [(26, 27), (43, 27), (79, 86), (62, 86)],  # diagonal
    [(70, 27), (77, 27), (77, 86), (70, 86)],  # right stem, ends where the diagonal does
    [(15, 24), (43, 24), (43, 29), (15, 29)],  # top left serif
    [(60, 24), (87, 24), (87, 29), (60, 29)],  # top right serif
    [(15, 81), (44, 81), (44, 86), (15, 86)],  # bottom left serif
]
PNGS = {"apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}
ICO_SIZES = [16, 32, 48]


def svg():
    def path(points):
        return "M" + " ".join(f"{x} {y}" for x, y in points) + "Z"

    letter = "".join(path(shape) for shape in LETTER)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{PAPER}"/>'
        f'<path fill="{ACCENT}" d="{path(RULE)}{letter}"/></svg>\n'
    )


def draw(size):
    """The icon at `size` pixels, drawn four times larger and scaled down for smooth edges."""
    big = size * 4
    image = Image.new("RGB", (big, big), PAPER)
    pen = ImageDraw.Draw(image)
    for shape in [RULE, *LETTER]:
        pen.polygon([(x * big / 100, y * big / 100) for x, y in shape], fill=ACCENT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


class Command(BaseCommand):
    help = "Draw the favicon, the Apple touch icon and the web app manifest's icons into static/icons/."

    def handle(self, *args, **options):
        folder = settings.BASE_DIR / "static" / "icons"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "icon.svg").write_text(svg(), encoding="utf-8")
        for name, size in PNGS.items():
            draw(size).save(folder / name, optimize=True)
        largest = draw(max(ICO_SIZES))
        largest.save(folder / "favicon.ico", sizes=[(size, size) for size in ICO_SIZES])
        self.stdout.write(f"Icons drawn in {folder}")
