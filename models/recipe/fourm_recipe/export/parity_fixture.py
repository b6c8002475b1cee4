"""Golden values for the TypeScript engine: one full FM forward pass computed by PyTorch.

Scenario: an eval scene's RGB tokens and caption are the visible inputs (encoder order: caption, then
RGB), and all 256 semseg positions are decoder queries. The engine must rebuild the same embeddings from
the shipped safetensors, run the ONNX graphs, and match these logits.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from ..fm.generate import context_of
from ..fm.model import FourM
from ..tokenizers.data import DATA_ROOT


def write_parity_fixture(net: FourM, eos: int, path: Path) -> None:
    tokens = DATA_ROOT / "tokens" / "eval.npz"
    if tokens.exists():
        z = np.load(tokens)
        rgb = z["tok_rgb@128"][0].astype(np.int64)
        cap = z["caption"][0, : z["caption_len"][0]].astype(np.int64).tolist() + [eos]
    else:
        g = np.random.default_rng(0)
        rgb = g.integers(0, net.cfg.modalities["tok_rgb@128"]["vocab"], 256)
        cap = g.integers(40, 400, 12).tolist() + [eos]
    state = {"caption": (torch.tensor(cap), torch.ones(len(cap), dtype=torch.bool)),
             "tok_rgb@128": (torch.tensor(rgb), torch.ones(256, dtype=torch.bool))}
    target = "tok_semseg@128"
    with torch.no_grad():
        ctx, pad = context_of(net, state)
        dm = net.decoder_embeddings[target]
        pos = torch.arange(256)
        y = net.mask_token[0] + dm.pos_emb[0, pos] + dm.mod_emb[0]
        logits = dm.to_logits(net.decode(y[None], ctx, pad, None))[0]
    fixture = {
        "model": "world-4m-small",
        "inputs": {"caption": {"tokens": cap}, "tok_rgb@128": {"tokens": rgb.tolist()}},
        "encoderOrder": ["caption", "tok_rgb@128"],
        "target": {"modality": target, "positions": pos.tolist()},
        "expected": {
            "argmax": logits.argmax(-1).tolist(),
            "logitsHead": [[round(float(v), 6) for v in logits[i, :8]] for i in range(4)],
            "contextHead": [round(float(v), 6) for v in ctx[0, 0, :8]],
            "tolerance": 2e-3,
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture))


def write_scene_fixtures(dst: Path, count: int = 2) -> None:
    """Held-out scenes (eval split) as ordinary files, for content tests of the engine and the CLI:
    rgb.png, semseg.png (class id per pixel, 8-bit gray), depth.png (16-bit gray, millimetres),
    meta.json (caption, boxes, palette, visible objects)."""
    from PIL import Image

    from ..tokenizers.data import load_meta, load_modality

    dst.mkdir(parents=True, exist_ok=True)
    meta = load_meta("eval")
    rgb, sem, depth = (load_modality("eval", m)[:count] for m in ("rgb", "semseg", "depth"))
    for i in range(count):
        stem = dst / f"scene{i}"
        Image.fromarray(rgb[i]).save(f"{stem}_rgb.png")
        Image.fromarray(sem[i]).save(f"{stem}_semseg.png")
        mm = np.clip(depth[i].astype(np.float32) * 1000, 0, 65535).astype(np.uint16)
        Image.fromarray(mm).save(f"{stem}_depth.png")
        (dst / f"scene{i}_meta.json").write_text(json.dumps(meta[i], indent=1))
