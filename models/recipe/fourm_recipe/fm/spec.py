"""The default model's modality table: names follow 4M's (tok_<x>@<res>, caption, det, color_palette)."""
from __future__ import annotations

from ..tokenizers.modalities import CONFIGS

IMAGE_SIZE = 128
GRID = 16
SEQ_MAX_LEN = {"caption": 72, "det": 32, "color_palette": 26}
IMAGE_MODALITIES = {f"tok_{m}@{IMAGE_SIZE}": m for m in ("rgb", "depth", "normal", "semseg", "edge")}


def fm_modalities(text_vocab: int) -> dict:
    mods = {}
    for name, m in IMAGE_MODALITIES.items():
        vocab = 1
        for lv in CONFIGS[m].levels:
            vocab *= lv
        mods[name] = {"type": "img", "vocab": vocab, "grid": GRID, "tokenizer": m}
    for name, L in SEQ_MAX_LEN.items():
        mods[name] = {"type": "seq", "vocab": text_vocab, "max_len": L}
    return mods
