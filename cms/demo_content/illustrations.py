"""Draw the demo site's illustrations with Pillow: a soft gradient, a simple line figure in the
pose an exercise needs, and a few props (chair, stool, mat, car, stairs, spine).

Generated rather than downloaded or committed as binaries: the loader must work offline, and a
pose list in `images.json` is easier to review and change than a folder of JPEGs. Output is
deterministic for a given spec, so reloading gives byte-identical files.
"""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

SCALE = 2  # drawn at 2x and scaled down: cheap anti-aliasing for lines and circles

# Joint positions on a 100 x 100 grid (y grows downwards). Segments join them into a figure.
POSES: dict[str, dict[str, tuple[float, float]]] = {
    "standing": {
        "head": (50, 12), "neck": (50, 22), "hip": (50, 56),
        "elbow": (43, 38), "hand": (41, 54), "elbow2": (57, 38), "hand2": (59, 54),
        "knee": (47, 76), "ankle": (47, 95), "foot": (53, 96),
        "knee2": (54, 76), "ankle2": (54, 95), "foot2": (60, 96),
    },
    "seated_knee_to_chest": {
        "head": (38, 14), "neck": (40, 25), "hip": (42, 60),
        "elbow": (50, 40), "hand": (60, 40), "elbow2": (49, 45), "hand2": (61, 45),
        "knee": (61, 41), "ankle": (67, 60), "foot": (73, 60),
        "knee2": (66, 60), "ankle2": (66, 92), "foot2": (73, 93),
    },
    "lying_knee_to_chest": {
        "head": (12, 78), "neck": (22, 81), "hip": (55, 83),
        "elbow": (38, 70), "hand": (47, 58), "elbow2": (40, 75), "hand2": (49, 62),
        "knee": (48, 57), "ankle": (64, 62), "foot": (67, 56),
        "knee2": (73, 84), "ankle2": (90, 85), "foot2": (92, 79),
    },
    "figure_four": {
        "head": (38, 14), "neck": (40, 25), "hip": (42, 60),
        "elbow": (49, 42), "hand": (58, 50), "elbow2": (47, 47), "hand2": (64, 56),
        "knee": (58, 47), "ankle": (67, 56), "foot": (72, 52),
        "knee2": (66, 60), "ankle2": (66, 92), "foot2": (73, 93),
    },
    "foot_on_stool": {
        "head": (36, 14), "neck": (38, 25), "hip": (41, 60),
        "elbow": (48, 42), "hand": (58, 52), "elbow2": (46, 47), "hand2": (62, 58),
        "knee": (60, 50), "ankle": (75, 70), "foot": (82, 68),
        "knee2": (62, 62), "ankle2": (62, 92), "foot2": (69, 93),
    },
    "seated_leg_lift": {
        "head": (38, 14), "neck": (40, 25), "hip": (42, 60),
        "elbow": (47, 44), "hand": (56, 52), "elbow2": (45, 47), "hand2": (54, 56),
        "knee": (63, 47), "ankle": (70, 68), "foot": (76, 67),
        "knee2": (66, 60), "ankle2": (66, 92), "foot2": (73, 93),
    },
    "backing_into_car": {
        "head": (30, 16), "neck": (31, 26), "hip": (36, 58),
        "elbow": (26, 40), "hand": (22, 55), "elbow2": (38, 40), "hand2": (44, 52),
        "knee": (32, 76), "ankle": (31, 95), "foot": (25, 96),
        "knee2": (38, 76), "ankle2": (38, 95), "foot2": (32, 96),
    },
    "single_leg_balance": {
        "head": (50, 12), "neck": (50, 22), "hip": (50, 56),
        "elbow": (38, 32), "hand": (28, 36), "elbow2": (62, 32), "hand2": (72, 36),
        "knee": (51, 76), "ankle": (51, 95), "foot": (57, 96),
        "knee2": (62, 68), "ankle2": (58, 82), "foot2": (64, 83),
    },
    "reaching_overhead": {
        "head": (50, 14), "neck": (50, 24), "hip": (50, 57),
        "elbow": (44, 12), "hand": (42, 1), "elbow2": (58, 38), "hand2": (60, 54),
        "knee": (47, 77), "ankle": (47, 95), "foot": (53, 96),
        "knee2": (54, 77), "ankle2": (54, 95), "foot2": (60, 96),
    },
    "phone_neck": {
        "head": (57, 20), "neck": (51, 27), "hip": (49, 58),
        "elbow": (50, 44), "hand": (60, 38), "elbow2": (53, 45), "hand2": (62, 40),
        "knee": (47, 77), "ankle": (47, 95), "foot": (53, 96),
        "knee2": (54, 77), "ankle2": (54, 95), "foot2": (60, 96),
    },
    "stairs_down": {
        "head": (42, 10), "neck": (43, 20), "hip": (45, 52),
        "elbow": (38, 34), "hand": (35, 48), "elbow2": (52, 34), "hand2": (56, 46),
        "knee": (44, 70), "ankle": (44, 86), "foot": (50, 87),
        "knee2": (54, 68), "ankle2": (57, 86), "foot2": (63, 88),
    },
    "bridge": {
        "head": (12, 86), "neck": (21, 85), "hip": (52, 70),
        "elbow": (27, 90), "hand": (36, 91), "elbow2": (28, 91), "hand2": (38, 92),
        "knee": (70, 62), "ankle": (74, 88), "foot": (80, 89),
        "knee2": (68, 64), "ankle2": (71, 88), "foot2": (77, 89),
    },
    "child_pose": {
        "head": (26, 80), "neck": (33, 76), "hip": (62, 72),
        "elbow": (20, 86), "hand": (10, 88), "elbow2": (22, 87), "hand2": (12, 89),
        "knee": (52, 89), "ankle": (72, 90), "foot": (78, 88),
        "knee2": (53, 90), "ankle2": (73, 91), "foot2": (79, 89),
    },
}  # fmt: skip

SEGMENTS = [
    ("neck", "hip"),
    ("neck", "elbow2"), ("elbow2", "hand2"),
    ("hip", "knee2"), ("knee2", "ankle2"), ("ankle2", "foot2"),
    ("neck", "elbow"), ("elbow", "hand"),
    ("hip", "knee"), ("knee", "ankle"), ("ankle", "foot"),
]  # fmt: skip
BACK_LIMBS = {("neck", "elbow2"), ("elbow2", "hand2"), ("hip", "knee2"), ("knee2", "ankle2"), ("ankle2", "foot2")}


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t: float):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(width: int, height: int, start, end) -> Image.Image:
    # A diagonal blend built from a tiny image: fast, and compresses to almost nothing.
    small = Image.new("RGB", (2, 2))
    small.putdata([start, _mix(start, end, 0.5), _mix(start, end, 0.5), end])
    return small.resize((width, height), Image.Resampling.BILINEAR)


def _props(draw: ImageDraw.ImageDraw, props: list[str], box, ink, accent) -> None:
    x0, y0, size = box

    def p(x, y):
        return (x0 + x * size / 100, y0 + y * size / 100)

    line = max(4, round(size / 45))
    for prop in props:
        if prop == "chair":
            draw.line([p(26, 62), p(54, 62)], fill=accent, width=line)
            draw.line([p(28, 28), p(28, 97)], fill=accent, width=line)
            draw.line([p(52, 62), p(52, 97)], fill=accent, width=line)
        elif prop == "stool":
            draw.line([p(70, 72), p(92, 72)], fill=accent, width=line)
            draw.line([p(73, 72), p(73, 97)], fill=accent, width=line)
            draw.line([p(89, 72), p(89, 97)], fill=accent, width=line)
        elif prop == "floor":
            draw.line([p(-10, 97), p(110, 97)], fill=accent, width=line)
        elif prop == "mat":
            draw.rounded_rectangle([p(2, 92), p(98, 96)], radius=line, fill=accent)
        elif prop == "car":
            draw.rounded_rectangle([p(44, 50), p(128, 86)], radius=size / 12, outline=accent, width=line)
            draw.rounded_rectangle([p(62, 30), p(112, 52)], radius=size / 18, outline=accent, width=line)
            for cx in (64, 110):
                cx, cy = p(cx, 88)
                r = size * 0.08
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=accent, width=line)
        elif prop == "stairs":
            points = [p(20, 52), p(40, 52), p(40, 70), p(60, 70), p(60, 88), p(80, 88), p(80, 106)]
            draw.line(points, fill=accent, width=line, joint="curve")
        elif prop == "spine":
            for i in range(5):
                top = 8 + i * 9
                draw.rounded_rectangle([p(42, top), p(58, top + 7)], radius=size / 60, fill=ink)
            draw.arc([p(26, 44), p(74, 80)], 0, 180, fill=ink, width=line * 2)
            for side in (-1, 1):
                draw.line(
                    [p(50 + side * 5, 20), p(50 + side * 14, 60), p(50 + side * 16, 88)], fill=accent, width=line * 2
                )
                draw.line([p(50 + side * 20, 66), p(50 + side * 26, 100)], fill=ink, width=line)


def render_illustration(spec: dict) -> bytes:
    """Return a JPEG for one entry of images.json."""
    width, height = spec.get("width", 1200), spec.get("height", 675)
    start, end = _hex(spec["colors"][0]), _hex(spec["colors"][1])
    ink = _hex(spec.get("ink", "#ffffff"))
    accent = _mix(ink, end, 0.45)
    image = _gradient(width * SCALE, height * SCALE, start, end)
    draw = ImageDraw.Draw(image)

    # Two soft discs give depth without detail that would cost bytes.
    for cx, cy, r, t in ((0.82, 0.18, 0.42, 0.18), (0.12, 0.95, 0.30, 0.12)):
        colour = _mix(end, ink, t)
        cx, cy, r = cx * image.width, cy * image.height, r * image.height
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)

    size = image.height * 0.78
    x0 = image.width * spec.get("figure_x", 0.5) - size / 2
    y0 = image.height * 0.1
    _props(draw, spec.get("props", []), (x0, y0, size), ink, accent)

    if pose := POSES.get(spec.get("pose", "")):

        def p(joint):
            x, y = pose[joint]
            return (x0 + x * size / 100, y0 + y * size / 100)

        limb = max(6, round(size / 26))
        for a, b in SEGMENTS:
            colour = _mix(ink, start, 0.25) if (a, b) in BACK_LIMBS else ink
            draw.line([p(a), p(b)], fill=colour, width=limb)
            for joint in (a, b):
                x, y = p(joint)
                draw.ellipse([x - limb / 2, y - limb / 2, x + limb / 2, y + limb / 2], fill=colour)
        hx, hy = p("head")
        r = size * 0.065
        draw.ellipse([hx - r, hy - r, hx + r, hy + r], fill=ink)

    if label := spec.get("label"):
        font = ImageFont.load_default(size=round(image.height * 0.055))
        margin = image.height * 0.06
        draw.text((margin, image.height - margin), label, fill=ink, font=font, anchor="ls")

    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="JPEG", quality=spec.get("quality", 78), optimize=True, progressive=True)
    return out.getvalue()
