"""The TypeScript judge's speck removal (models/eval/metrics/despeckle.ts), for the exported scores:
every 4-connected patch of one class under 16 px takes the class most common along its outside border."""
from __future__ import annotations

from collections import Counter

import numpy as np

MIN_PATCH_PIXELS = 16


def despeckle(classes: np.ndarray, min_pixels: int = MIN_PATCH_PIXELS) -> np.ndarray:
    h, w = classes.shape
    flat = classes.ravel()
    label = np.full(h * w, -1, np.int64)
    out = flat.copy()
    nxt = 0
    for s in range(h * w):
        if label[s] != -1:
            continue
        c = flat[s]
        label[s] = nxt
        stack, members = [s], [s]
        while stack:
            i = stack.pop()
            x, y = i % w, i // w
            for j in (i - 1 if x > 0 else -1, i + 1 if x < w - 1 else -1, i - w if y > 0 else -1, i + w if y < h - 1 else -1):
                if j >= 0 and label[j] == -1 and flat[j] == c:
                    label[j] = nxt
                    stack.append(j)
                    members.append(j)
        if len(members) < min_pixels:
            votes: Counter = Counter()
            for i in members:
                x, y = i % w, i // w
                for j in (i - 1 if x > 0 else -1, i + 1 if x < w - 1 else -1, i - w if y > 0 else -1, i + w if y < h - 1 else -1):
                    if j >= 0 and flat[j] != c:
                        votes[int(flat[j])] += 1
            if votes:
                best = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                out[members] = best
        nxt += 1
    return out.reshape(h, w)
