"""Picture references read by the official FM on the official-fm fixture's weights.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.fm_reference_fixture --out ../../test/fixtures/official-fm-reference

It rebuilds the same official `FM` as fm_fixture.py and feeds it the picture of fm_pixel_fixture.py
through `rgb@224`, then runs the official `GenerationSampler.generate` with the schedule of 4M's
retrieval notebook (ROAR, one step, linear token schedule, constant temperature, guidance 1, top-p
0.8) for each global modality alone, at temperature 0: the official sampler then takes the argmax.
Writes reference.json: the 16 ids of tok_dinov2_global and of tok_imagebind_global.
"""
from __future__ import annotations

import json

import torch

from .fm_fixture import build_model
from .fm_pixel_fixture import SIDE, picture_input
from .official_import import fixture_arguments, import_official

TARGETS = ("tok_dinov2_global", "tok_imagebind_global")


def main() -> None:
    args = fixture_arguments(__doc__)
    fm_mod, gen_mod, info_mod = import_official(args.ml4m)
    from fourm.utils.data_constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD

    model, _ = build_model(fm_mod)
    sampler = gen_mod.GenerationSampler(model)
    args.out.mkdir(parents=True, exist_ok=True)
    x = picture_input(IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD)
    ids = {}
    with torch.no_grad():
        for target in TARGETS:
            sample = {"rgb@224": {"tensor": x}}
            sample = gen_mod.init_full_input_modality(sample, info_mod.MODALITY_INFO, "rgb@224", "cpu")
            sample = gen_mod.init_empty_target_modality(sample, info_mod.MODALITY_INFO, target, 1, 16, "cpu")
            schedule = gen_mod.build_chained_generation_schedules(
                cond_domains=["rgb@224"], target_domains=[target], tokens_per_target=[16],
                autoregression_schemes=["roar"], decoding_steps=[1], token_decoding_schedules=["linear"],
                temps=[0.0], temp_schedules=["constant"], cfg_scales=[1.0], cfg_schedules=["constant"],
                cfg_grow_conditioning=True,
            )
            out = sampler.generate(sample, schedule, verbose=False, seed=0, top_p=0.8, top_k=0.0)
            ids[target] = out[target]["tensor"][0].tolist()
    ref = {
        "picture": {"seed": "rgb@224 picture", "height": SIDE, "width": SIDE, "layout": "HWC uint8, low byte of hash_int16"},
        "schedule": {"scheme": "roar", "steps": 1, "token_schedule": "linear", "temperature": 0.0, "cfg": 1.0, "top_p": 0.8},
        "ids": ids,
    }
    (args.out / "reference.json").write_text(json.dumps(ref))
    print({k: v[:6] for k, v in ids.items()})


if __name__ == "__main__":
    main()
