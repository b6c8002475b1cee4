"""4M's text serializations of boxes and palettes (reference §2.3), with our coordinate bin count."""
from __future__ import annotations

from .vocab import COORD_BINS


def det_text(boxes: list[dict], bins: int = COORD_BINS) -> str:
    """Boxes sorted by distance of (xmin, ymin) to the origin, 5 tokens each."""
    q = lambda v: int(round(min(max(v, 0.0), 1.0) * (bins - 1)))
    ordered = sorted(boxes, key=lambda b: b["box"][0] ** 2 + b["box"][1] ** 2)
    return " ".join(f"v0={q(b['box'][0])} v1={q(b['box'][1])} v2={q(b['box'][2])} v3={q(b['box'][3])} {b['label']}" for b in ordered)


def palette_text(colors: list[list[int]]) -> str:
    return " ".join([f"v1={len(colors)}"] + [f"v0={c}" for rgb in colors for c in rgb])
