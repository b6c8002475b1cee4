"""The official FM's rgb@224 pixel input on the official-fm fixture's weights.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.fm_pixel_fixture --out ../../test/fixtures/official-fm-rgb

It rebuilds the same official `FM` as fm_fixture.py (same config, same hashed parameters: the test
rebuilds the checkpoint from test/fixtures/official-fm), then feeds it a picture through `rgb@224`:

1. The picture is 224 x 224 x 3 uint8 values from the fixtures' hash ("rgb@224 picture", low byte),
   normalised as the official RGBTransform does (to [0, 1], then ImageNet mean / std from
   fourm.utils.data_constants) into a [1, 3, 224, 224] tensor.
2. `encoder_embeddings["rgb@224"]` gives x (the patch projection) and emb (position + modality).
3. The encoder context of {rgb@224, caption} and the tok_semseg@224 logits at some positions through
   `GenerationSampler.forward_enc_dec_roar_batched`, as in fm_fixture.py.

Writes reference.json (x rows, emb rows, the logit summary) and context.bin.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .fm_fixture import build_model, encoder_context, fnv1a32, hash_int16, logit_summary, rounded
from .official_import import fixture_arguments, import_official

SIDE = 224


def picture() -> np.ndarray:
    """[224, 224, 3] uint8 (H, W, C), the low byte of the fixtures' hash."""
    h = hash_int16(fnv1a32("rgb@224 picture"), SIDE * SIDE * 3)
    return (h.astype(np.int32) & 0xFF).astype(np.uint8).reshape(SIDE, SIDE, 3)


def picture_input(mean, std) -> torch.Tensor:
    """The picture as 4M's rgb@224 input: [1, 3, SIDE, SIDE], normalised with the given ImageNet statistics."""
    img = picture().astype(np.float32) / 255.0
    m = np.asarray(mean, np.float32)
    s = np.asarray(std, np.float32)
    return torch.from_numpy(((img - m) / s).transpose(2, 0, 1).copy())[None]


def main() -> None:
    args = fixture_arguments(__doc__)
    fm_mod, gen_mod, _ = import_official(args.ml4m)
    from fourm.utils.data_constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD

    model, _ = build_model(fm_mod)
    sampler = gen_mod.GenerationSampler(model)
    args.out.mkdir(parents=True, exist_ok=True)
    x = picture_input(IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD)
    n = (SIDE // 16) ** 2
    caption = [8148, 25653, 21085, 13566, 3]
    rows = list(range(0, n, 13)) + [n - 1]
    with torch.no_grad():
        d = {"tensor": x, "input_mask": torch.zeros(1, n, dtype=torch.bool), "target_mask": torch.ones(1, n, dtype=torch.bool)}
        e = model.encoder_embeddings["rgb@224"](dict(d))
        xs, embs = e["x"][0].numpy(), e["emb"][0].numpy()

        def entry(tensor):
            t = torch.tensor([tensor]) if not isinstance(tensor, torch.Tensor) else tensor
            m = t.shape[1] if t.ndim == 2 else n
            return {"tensor": t, "input_mask": torch.zeros(1, m, dtype=torch.bool),
                    "target_mask": torch.ones(1, m, dtype=torch.bool), "decoder_attention_mask": torch.zeros(1, m, dtype=torch.bool)}

        inputs = {"caption": entry(caption), "rgb@224": entry(x)}
        ctx = encoder_context(model, sampler, {m: dict(v) for m, v in sorted(inputs.items())})[0].numpy().astype("<f4")
        (args.out / "context.bin").write_bytes(ctx.tobytes())

        target, positions = "tok_semseg@224", sorted(np.random.default_rng(21).choice(n, 20, replace=False).tolist())
        tm = torch.ones(1, n, dtype=torch.bool)
        tm[0, positions] = False
        t_entry = {"tensor": torch.zeros(1, n, dtype=torch.int64), "input_mask": torch.ones(1, n, dtype=torch.bool),
                   "target_mask": tm, "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)}
        md = {**{k: dict(v) for k, v in sorted(inputs.items())}, target: t_entry}
        logits, mod_pos = sampler.forward_enc_dec_roar_batched(md, target, len(positions), seed=0)
        order = torch.argsort(mod_pos[0])
        assert mod_pos[0][order].tolist() == positions
        lg = logits[0][order].numpy()
    ref = {
        "picture": {"seed": "rgb@224 picture", "height": SIDE, "width": SIDE, "layout": "HWC uint8, low byte of hash_int16"},
        "mean": [float(v) for v in IMAGENET_DEFAULT_MEAN], "std": [float(v) for v in IMAGENET_DEFAULT_STD],
        "rows": rows, "x": rounded(xs[rows]), "emb": rounded(embs[rows]),
        "caption": caption,
        "context": {"file": "context.bin", "rows": int(ctx.shape[0]), "dim": int(ctx.shape[1])},
        "semseg": {"target": target, "positions": positions, **logit_summary(lg, 37)},
    }
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"x rows {len(rows)}, context {ctx.shape}, semseg argmax {ref['semseg']['argmax'][:8]}")


if __name__ == "__main__":
    main()
