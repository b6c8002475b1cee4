"""One masked-regeneration (inpainting) step of the official FM on the official-fm fixture's weights.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.inpaint_fixture --out ../../test/fixtures/official-fm-inpaint

It rebuilds the same official `FM` as fm_fixture.py (same config, same hashed parameters: the test
rebuilds the checkpoint from test/fixtures/official-fm) and gives it tok_rgb@224 as a target with
some tokens already there, the way 4M represents a partly given target modality:

- kept tokens: input_mask False (the encoder sees them), target_mask True (not predicted);
- masked tokens: input_mask True, target_mask False (the decoder predicts them);
- a caption as a full input beside it.

Then, with the official `GenerationSampler`:

1. `forward_enc_dec_maskgit_batched` gives the logits of every masked position (one MaskGIT step);
2. `build_chained_generation_schedules` with tokens_per_target = the masked count gives the MaskGIT
   (cosine, 8 steps) and ROAR (8 steps) token schedules: only the masked tokens are scheduled.

Writes reference.json: the tokens, the keep mask, the masked positions, a logit summary (argmax,
every 97th column) and both schedules.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .fm_fixture import build_model, logit_summary
from .official_import import fixture_arguments, import_official

TARGET = "tok_rgb@224"
GRID = 14
VOCAB = 16384
CAPTION = [8148, 25653, 21085, 13566, 3]  # four words + [EOS], as in fm_pixel_fixture.py
STEPS = 8


def keep_mask() -> np.ndarray:
    """True = kept: everything but a 6 x 7 block (rows 3-8, columns 5-11) and the last cell."""
    keep = np.ones((GRID, GRID), bool)
    keep[3:9, 5:12] = False
    keep[-1, -1] = False
    return keep.reshape(-1)


def main() -> None:
    args = fixture_arguments(__doc__)
    fm_mod, gen_mod, _ = import_official(args.ml4m)
    model, _ = build_model(fm_mod)
    sampler = gen_mod.GenerationSampler(model)
    args.out.mkdir(parents=True, exist_ok=True)

    n = GRID * GRID
    tokens = np.random.default_rng(33).integers(0, VOCAB, n)
    keep = keep_mask()
    masked = np.flatnonzero(~keep).tolist()
    with torch.no_grad():
        m = len(CAPTION)
        md = {
            "caption": {"tensor": torch.tensor([CAPTION]), "input_mask": torch.zeros(1, m, dtype=torch.bool),
                        "target_mask": torch.ones(1, m, dtype=torch.bool), "decoder_attention_mask": torch.zeros(1, m, dtype=torch.bool)},
            TARGET: {"tensor": torch.from_numpy(tokens)[None], "input_mask": torch.from_numpy(~keep)[None],
                     "target_mask": torch.from_numpy(keep.copy())[None], "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)},
        }
        logits, mod_pos = sampler.forward_enc_dec_maskgit_batched(md, TARGET, seed=0)
        assert mod_pos[0].tolist() == masked, "MaskGIT decodes the masked positions in order"
        lg = logits[0].numpy()

    def schedule(scheme: str) -> list[int]:
        s = gen_mod.build_chained_generation_schedules(
            cond_domains=["caption"], target_domains=[TARGET], tokens_per_target=[len(masked)],
            autoregression_schemes=[scheme], decoding_steps=[STEPS], token_decoding_schedules=["cosine"],
            temps=[1.0], temp_schedules=["constant"], cfg_scales=[1.0], cfg_schedules=["constant"])
        return [int(step["num_tokens"]) for step in s]

    ref = {
        "target": TARGET,
        "caption": CAPTION,
        "tokens": tokens.tolist(),
        "keep": keep.astype(int).tolist(),
        "positions": masked,
        "logits": logit_summary(lg, 97),
        "schedules": {"steps": STEPS, "maskgit_cosine": schedule("maskgit"), "roar": schedule("roar")},
    }
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"{len(masked)} masked positions, logits {lg.shape}, argmax {ref['logits']['argmax'][:6]}, "
          f"maskgit {ref['schedules']['maskgit_cosine']}, roar {ref['schedules']['roar']}")


if __name__ == "__main__":
    main()
