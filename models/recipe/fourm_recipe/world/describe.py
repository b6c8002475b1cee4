"""Sequence modalities of a rendered scene: caption (plain English), boxes and color palette.

All three are derived from what is visible in the render (instance map), not from the scene list,
so an object hidden behind another or outside the frame is never described.
"""
from __future__ import annotations

import numpy as np

from .scene import Scene

MIN_VISIBLE_PIXELS = 30
GROUND_PHRASE = {"gray": "on gray ground", "sand": "on sand", "grass": "on grass", "dark": "on dark ground"}
SKY_PHRASE = {"blue": "under a blue sky", "sunset": "under a sunset sky", "overcast": "under an overcast sky"}


def visible_objects(scene: Scene, instance: np.ndarray) -> list[dict]:
    """Visible objects with their pixel box, area and centre, sorted left to right."""
    size_h, size_w = instance.shape
    found = []
    for i, obj in enumerate(scene.objects):
        ys, xs = np.nonzero(instance == i + 2)
        if len(xs) < MIN_VISIBLE_PIXELS:
            continue
        found.append({
            "object": obj,
            "box": (xs.min() / size_w, ys.min() / size_h, (xs.max() + 1) / size_w, (ys.max() + 1) / size_h),
            "area": len(xs),
            "cx": xs.mean() / size_w,
        })
    found.sort(key=lambda v: v["cx"])
    return found


def _phrase(obj, with_article=True) -> str:
    words = []
    if obj.size < 0.58:
        words.append("small")
    elif obj.size > 0.82:
        words.append("large")
    if obj.shiny:
        words.append("shiny")
    words += [obj.color_name, obj.kind]
    text = " ".join(words)
    return ("a " + text) if with_article else text


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def caption(scene: Scene, visible: list[dict], depth: np.ndarray, rng: np.random.Generator) -> str:
    ground = GROUND_PHRASE[scene.ground_name]
    sky = SKY_PHRASE[scene.sky_name]
    if not visible:
        return f"an empty scene {ground} {sky}."
    listing = _join([_phrase(v["object"]) for v in visible])
    opening = ["", "a scene with ", "there is "][int(rng.integers(3))]
    sentences = [f"{opening}{listing} {ground} {sky}.".strip()]
    # Relations between neighbours (left/right from the image, front/behind from depth).
    for a, b in list(zip(visible, visible[1:]))[:2]:
        na, nb = _phrase(a["object"], False), _phrase(b["object"], False)
        da = float(np.median(depth[_mask_box(depth.shape, a["box"])]))
        db = float(np.median(depth[_mask_box(depth.shape, b["box"])]))
        if abs(da - db) / min(da, db) > 0.25 and rng.uniform() < 0.5:
            rel = "behind" if da > db else "in front of"
        else:
            rel = "left of"
        sentences.append(f"the {na} is {rel} the {nb}.")
    return " ".join(sentences)


def _mask_box(shape, box):
    h, w = shape
    x0, y0, x1, y1 = box
    m = np.zeros(shape, dtype=bool)
    m[int(y0 * h):max(int(y1 * h), int(y0 * h) + 1), int(x0 * w):max(int(x1 * w), int(x0 * w) + 1)] = True
    return m


def boxes(visible: list[dict]) -> list[dict]:
    return [{"box": [round(float(c), 5) for c in v["box"]], "label": v["object"].kind} for v in visible]


def palette(rgb: np.ndarray, instance: np.ndarray, max_colors: int = 7) -> list[list[int]]:
    """Mean colour of each visible region (sky, ground, objects) by decreasing area."""
    ids, counts = np.unique(instance, return_counts=True)
    keep = [(c, i) for i, c in zip(ids, counts) if c >= 0.01 * instance.size]
    keep.sort(reverse=True)
    return [[int(round(x)) for x in rgb[instance == i].mean(axis=0)] for _, i in keep[:max_colors]]
