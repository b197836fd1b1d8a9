"""Landscape pictures drawn with Pillow, so the demo needs no downloads and no licences.

Each scene is a few layers painted back to front: sky gradient, stars, sun with a glow,
far hills, a skyline, near hills or dunes, water with a sun path. A seed makes every
picture the same on every run.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1000


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _vertical_gradient(size, stops):
    """`stops` is [(0.0, colour), ..., (1.0, colour)] from top to bottom."""
    width, height = size
    column = Image.new("RGB", (1, height))
    stops = [(at, _hex(c)) for at, c in stops]
    pixels = []
    for y in range(height):
        t = y / max(height - 1, 1)
        for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
            if t0 <= t <= t1:
                pixels.append(_mix(c0, c1, (t - t0) / ((t1 - t0) or 1)))
                break
        else:
            pixels.append(stops[-1][1])
    column.putdata(pixels)
    return column.resize((width, height), Image.Resampling.NEAREST)


def _ridge(rng, base_y, amplitude, roughness, width=WIDTH):
    """A skyline of rolling hills: a sum of a few sine waves with random phases."""
    waves = [(rng.uniform(0.6, 1.4) * roughness * (k + 1), rng.uniform(0, math.tau)) for k in range(3)]
    points = []
    for x in range(0, width + 20, 20):
        y = base_y
        for k, (freq, phase) in enumerate(waves):
            y -= amplitude / (k + 1) * math.sin(x / width * math.tau * freq + phase)
        points.append((x, y))
    return [(0, HEIGHT), *points, (width, HEIGHT)]


def _skyline(draw, rng, base_y, colour, lit=None, density=1.0):
    x = rng.randint(-40, 0)
    while x < WIDTH:
        w = rng.randint(40, 120)
        h = rng.randint(60, 260) * density
        top = base_y - h
        draw.rectangle([x, top, x + w, base_y + 400], fill=colour)
        if rng.random() < 0.15:  # a mast or a minaret
            draw.rectangle([x + w // 2 - 3, top - rng.randint(40, 110), x + w // 2 + 3, top], fill=colour)
        if lit:
            for wy in range(int(top) + 12, int(base_y) - 8, 22):
                for wx in range(x + 8, x + w - 10, 18):
                    if rng.random() < 0.35:
                        draw.rectangle([wx, wy, wx + 7, wy + 10], fill=lit)
        x += w + rng.randint(0, 14)


def draw_scene(scene, seed):
    """Return JPEG bytes for `scene`, a dict of palette and layers (see the demo stories)."""
    rng = random.Random(seed)
    horizon = scene.get("horizon", 0.62)
    horizon_y = int(HEIGHT * horizon)
    image = _vertical_gradient(
        (WIDTH, HEIGHT),
        [(0.0, scene["sky"][0]), (horizon * 0.75, scene["sky"][1]), (horizon, scene["sky"][2])],
    )

    if scene.get("stars"):
        draw = ImageDraw.Draw(image)
        for _ in range(220):
            x, y = rng.randint(0, WIDTH), rng.randint(0, int(horizon_y * 0.8))
            r = rng.choice([1, 1, 1, 2])
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 245))

    sun = scene.get("sun")
    if sun:
        sx, sy = int(WIDTH * sun[0]), int(HEIGHT * sun[1])
        radius = sun[2]
        colour = _hex(scene.get("sun_colour", "#fff3c4"))
        # The halo is soft anyway: blur it at a quarter of the size, then scale it up (ten times faster).
        q = 4
        glow = Image.new("RGBA", (WIDTH // q, HEIGHT // q), (*colour, 0))
        glow_draw = ImageDraw.Draw(glow)
        for k, alpha in ((5.0, 40), (3.2, 55), (2.0, 80)):
            r = radius * k / q
            glow_draw.ellipse([sx / q - r, sy / q - r, sx / q + r, sy / q + r], fill=(*colour, alpha))
        glow = glow.filter(ImageFilter.GaussianBlur(radius * 1.2 / q)).resize(
            (WIDTH, HEIGHT), Image.Resampling.BILINEAR
        )
        glow_draw = ImageDraw.Draw(glow)
        glow_draw.ellipse([sx - radius, sy - radius, sx + radius, sy + radius], fill=(*colour, 255))
        image.paste(glow, (0, 0), glow)

    draw = ImageDraw.Draw(image)
    haze = _hex(scene["sky"][2])
    far = _hex(scene.get("far", "#6b7a8f"))
    for depth in range(scene.get("ranges", 2)):
        t = 0.55 - depth * 0.25
        ridge = _ridge(rng, horizon_y - 40 + depth * 30, 70 - depth * 15, 1.2 + depth * 0.6)
        draw.polygon(ridge, fill=_mix(far, haze, max(t, 0)))

    if scene.get("skyline"):
        _skyline(draw, rng, horizon_y + 10, _hex(scene["skyline"]), lit=scene.get("lit"))

    water = scene.get("water")
    if water:
        sea = _vertical_gradient((WIDTH, HEIGHT - horizon_y), [(0.0, water[0]), (1.0, water[1])])
        image.paste(sea, (0, horizon_y))
        draw = ImageDraw.Draw(image)
        if sun:
            glint = _mix(_hex(scene.get("sun_colour", "#fff3c4")), _hex(water[0]), 0.25)
            sx = int(WIDTH * sun[0])
            for y in range(horizon_y + 6, HEIGHT, 9):
                spread = (y - horizon_y) * 0.45 + 20
                for _ in range(2):
                    x = sx + rng.uniform(-spread, spread)
                    length = rng.uniform(10, 60) * (1 + (y - horizon_y) / 300)
                    draw.line([(x - length, y), (x + length, y)], fill=glint, width=2)
        for y in range(horizon_y + 20, HEIGHT, 26):  # soft swell lines
            draw.line([(0, y), (WIDTH, y)], fill=_mix(_hex(water[0]), _hex(water[1]), 0.5), width=1)

    near = scene.get("near")
    if near:
        for depth, colour in enumerate(near):
            base = HEIGHT * (0.78 + depth * 0.09)
            draw.polygon(_ridge(rng, base, 55 - depth * 12, 0.7 + depth * 0.5), fill=_hex(colour))

    if scene.get("banks"):
        # Steep banks either side of a low reservoir, with the pale ring the water left behind.
        bank, ring = _hex(scene["banks"][0]), _hex(scene["banks"][1])
        below = HEIGHT + 60  # past the bottom edge, so shifting a bank up shows no seam
        left = [(0, horizon_y - 140), (260, horizon_y - 90), (520, horizon_y + 30), (780, below), (0, below)]
        right = [(0, horizon_y - 90), (200, horizon_y - 60), (380, horizon_y + 20), (580, below), (0, below)]
        right = [(WIDTH - x, y) for x, y in right]
        for shape, shift in ((left, -46), (right, 46)):
            draw.polygon(shape, fill=ring)
            draw.polygon([(x + shift, y - 34) for x, y in shape], fill=bank)

    if scene.get("boat"):
        bx, by = int(WIDTH * scene["boat"][0]), int(HEIGHT * scene["boat"][1])
        hull = _hex(scene.get("boat_colour", "#1b1f24"))
        draw.polygon([(bx - 120, by), (bx + 140, by), (bx + 100, by + 34), (bx - 90, by + 34)], fill=hull)
        draw.rectangle([bx - 50, by - 46, bx + 40, by], fill=hull)
        draw.line([(bx + 10, by - 46), (bx + 10, by - 120)], fill=hull, width=5)

    if scene.get("grain", True):
        noise = Image.effect_noise((WIDTH // 4, HEIGHT // 4), 18).resize(
            (WIDTH, HEIGHT), Image.Resampling.BILINEAR
        )
        image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), 0.04)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def draw_portrait(background, seed, size=480):
    """A head-and-shoulders silhouette on a coloured ground, for author pages."""
    rng = random.Random(seed)
    ground = _hex(background)
    shade = "#{:02x}{:02x}{:02x}".format(*_mix(ground, (0, 0, 0), 0.3))
    image = _vertical_gradient((size, size), [(0.0, background), (1.0, shade)])
    draw = ImageDraw.Draw(image)
    figure = _mix(ground, (255, 255, 255), rng.uniform(0.55, 0.7))
    cx = size // 2
    draw.ellipse([cx - size * 0.36, size * 0.66, cx + size * 0.36, size * 1.3], fill=figure)
    draw.ellipse([cx - size * 0.17, size * 0.22, cx + size * 0.17, size * 0.62], fill=figure)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
