"""Official-format 4M-7-SR checkpoint (224 -> 448 super-resolution) with deterministic weights, and
the official code's outputs on it.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.fm_sr_fixture --out ../../test/fixtures/official-fm-sr

What it does:
1. Builds the official `FM` (fourm/models/fm.py) with the modality set of `EPFL-VILAB/4M-7-SR_L_CC12M`
   (the SR data config: caption, det, rgb@224 and the five tok_*@224 on 14 x 14 grids, rgb@448 and
   the five tok_*@448 on 28 x 28 grids in; the five tok_*@448 out) and the official vocabularies,
   shrunk to dim 32, 2 + 2 layers, 2 heads. The @448 modalities get the official 784-row sin-cos
   tables from the official embedding classes.
2. Fills parameters exactly as fm_fixture.py does (hash of tensor name and index, powers of two);
   buffers keep the official values and go, deduplicated, into `buffers.bin`.
3. Saves it as the official wrapper does (`config.json` + `model.safetensors`) into a temporary
   folder and records the header and SHA-256 (`checkpoint.json`): the test rebuilds the same file.
4. Runs the official code on a state in the middle of a super-resolution chain: caption, det,
   tok_rgb@224 and tok_semseg@224 (the 224 result), tok_clip@448 (an earlier SR target, all 784
   cells), and tok_rgb@448 with 60 cells already decoded. Writes `reference.json` with
   - the encoder context (`context.bin`);
   - MaskGIT logits of every pending tok_rgb@448 cell (`forward_enc_dec_maskgit_batched`), every
     9th row and the last one kept, every 61st column;
   - the classifier-free-guided logits the official `guided_maskgit_step_batched` samples from
     (scale 2, every condition emptied in the second pass), captured at its sampling call;
   - ROAR logits of 24 tok_depth@448 cells (the last cell, 783, included);
   - the SR schedule `build_chained_generation_schedules` makes from the demo's DEFAULTS_SR.
"""
from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

from .fm_fixture import EOS, build_model, encoder_context, logit_summary, save_checkpoint, write_checkpoint_json
from .official_import import fixture_arguments, import_official, keep_argument

DOMAINS = ["rgb", "depth", "semseg", "normal", "clip"]
SR_IN = ["caption", "det", "rgb@224", *[f"tok_{d}@224" for d in DOMAINS], "rgb@448", *[f"tok_{d}@448" for d in DOMAINS]]
SR_OUT = [f"tok_{d}@448" for d in DOMAINS]

CONFIG = {
    "domains_in": SR_IN, "domains_out": SR_OUT,
    "dim": 32, "encoder_depth": 2, "decoder_depth": 2, "num_heads": 2, "mlp_ratio": 4.0,
    "qkv_bias": False, "proj_bias": False, "mlp_bias": False, "norm_bias": False, "act_layer": "SiLU",
    "gated_mlp": True, "qk_norm": False, "image_size": 224, "patch_size": 16,
    "decoder_causal_mask": False, "decoder_sep_mask": True, "num_register_tokens": 0,
    "use_act_checkpoint": False, "share_modality_embeddings": True,
}

# The demo's super-resolution settings (fourm/demo_4M_sampler.py DEFAULTS_SR), for every tok_*@448.
SR_STEPS, SR_SCHEDULE, SR_TEMP, SR_CFG = 8, "cosine", 1.0, 2.0
VOCAB = {"rgb": 16384, "depth": 8192, "normal": 8192, "semseg": 4096, "clip": 8192}


def reference_outputs(model, gen_mod, info_mod, out: Path) -> dict:
    sampler = gen_mod.GenerationSampler(model)
    g = np.random.default_rng(448)

    def seq(words: int, length: int) -> dict:
        ids = g.integers(4284, 30000, words).tolist() + [EOS]
        return {"tensor": ids + [0] * (length - len(ids)), "visible": list(range(len(ids)))}

    def img(n: int, vocab: int, visible: list[int] | None = None) -> dict:
        vis = list(range(n)) if visible is None else visible
        return {"tensor": g.integers(0, vocab, n).tolist(), "visible": vis}

    decoded = sorted(g.choice(784, 60, replace=False).tolist())
    inputs = {
        "caption": seq(9, 14),
        "det": seq(10, 12),
        "tok_rgb@224": img(196, VOCAB["rgb"]),
        "tok_semseg@224": img(196, VOCAB["semseg"]),
        "tok_clip@448": img(784, VOCAB["clip"]),
        "tok_rgb@448": img(784, VOCAB["rgb"], decoded),
    }
    conditions = ["caption", "det", "tok_rgb@224", "tok_semseg@224", "tok_clip@448"]
    target = "tok_rgb@448"

    def entry(name: str, as_target: bool) -> dict:
        spec = inputs[name]
        n = len(spec["tensor"])
        input_mask = torch.ones(1, n, dtype=torch.bool)
        input_mask[0, spec["visible"]] = False
        # A partly decoded image target: decoded cells are inputs, the others pending targets.
        target_mask = ~input_mask if as_target else torch.ones(1, n, dtype=torch.bool)
        return {"tensor": torch.tensor([spec["tensor"]]), "input_mask": input_mask, "target_mask": target_mask,
                "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)}

    def state(with_target: str | None) -> dict:
        d = {name: entry(name, False) for name in sorted(conditions)}
        if with_target == target:
            d[target] = entry(target, True)
        elif with_target is not None:
            n = 784
            d[target] = entry(target, False)  # the decoded tok_rgb@448 cells stay visible inputs
            d[with_target] = {"tensor": torch.zeros(1, n, dtype=torch.int64), "input_mask": torch.ones(1, n, dtype=torch.bool),
                              "target_mask": torch.ones(1, n, dtype=torch.bool), "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)}
        return dict(sorted(d.items()))  # the encoder concatenates in this order; the engine sorts by name

    result: dict = {"inputs": inputs, "conditions": conditions, "target": target}
    pending = [p for p in range(784) if p not in set(decoded)]
    keep_rows = sorted(set(range(0, len(pending), 9)) | {len(pending) - 1})
    with torch.no_grad():
        d = state(target)
        ctx = encoder_context(model, sampler, d)[0].numpy().astype("<f4")
        (out / "context.bin").write_bytes(ctx.tobytes())
        result["context"] = {"file": "context.bin", "rows": int(ctx.shape[0]), "dim": int(ctx.shape[1]),
                             "order": sorted(d), "sha256": hashlib.sha256(ctx.tobytes()).hexdigest()}

        # MaskGIT queries: every pending cell, in index order.
        logits, mod_pos = sampler.forward_enc_dec_maskgit_batched(state(target), target)
        assert mod_pos[0].tolist() == pending
        lg = logits[0].numpy()[keep_rows]
        result["maskgit"] = {"positions": [pending[r] for r in keep_rows], **logit_summary(lg, 61)}

        # Guided: the logits the official guided MaskGIT step samples from (captured at the call).
        captured: dict = {}
        original = sampler.select_tokens_batched

        def capture(logits_, num_select, **kw):
            captured["logits"] = logits_.clone()
            return original(logits_, num_select, **kw)

        sampler.select_tokens_batched = capture
        sampler.guided_maskgit_step_batched(state(target), target, 30, temperature=SR_TEMP, top_k=0.0, top_p=0.8,
                                            conditioning=conditions, guidance_scale=SR_CFG, seed=0)
        sampler.select_tokens_batched = original
        lg = captured["logits"][0].numpy()[keep_rows]
        result["guided"] = {"scale": SR_CFG, "conditions": conditions, "positions": [pending[r] for r in keep_rows], **logit_summary(lg, 61)}

        # ROAR queries of an empty tok_depth@448 target.
        depth = "tok_depth@448"
        positions = sorted(g.choice(783, 23, replace=False).tolist()) + [783]
        d = state(depth)
        d[depth]["target_mask"][:] = True
        d[depth]["target_mask"][0, positions] = False
        logits, mod_pos = sampler.forward_enc_dec_roar_batched(d, depth, len(positions), seed=0)
        order_idx = torch.argsort(mod_pos[0])
        assert mod_pos[0][order_idx].tolist() == positions
        result["roar"] = {"target": depth, "positions": positions, **logit_summary(logits[0][order_idx].numpy(), 61)}

    # The SR chain schedule of the demo for two targets (clip first, as DEFAULT_ORDER_SR).
    targets = ["tok_clip@448", "tok_rgb@448"]
    schedule = gen_mod.build_chained_generation_schedules(
        cond_domains=["caption", "det", "tok_rgb@224", "tok_semseg@224"], target_domains=targets,
        tokens_per_target=[784] * 2, autoregression_schemes=["maskgit"] * 2, decoding_steps=[SR_STEPS] * 2,
        token_decoding_schedules=[SR_SCHEDULE] * 2, temps=[SR_TEMP] * 2, temp_schedules=["constant"] * 2,
        cfg_scales=[SR_CFG] * 2, cfg_schedules=["constant"] * 2, cfg_grow_conditioning=True,
        modality_info=info_mod.MODALITY_INFO,
    )
    result["schedule"] = [{"target": s["target_domain"], "scheme": s["scheme"], "numTokens": int(s["num_tokens"]),
                           "temperature": float(s["temperature"]), "cfgScale": float(s["cfg_scale"]),
                           "conditions": list(s["cfg_cond_domains"])} for s in schedule]
    return result


def main() -> None:
    args = fixture_arguments(__doc__, keep_argument)
    fm_mod, gen_mod, info_mod = import_official(args.ml4m)
    args.out.mkdir(parents=True, exist_ok=True)
    model, fills = build_model(fm_mod, CONFIG)
    for name in SR_OUT:
        assert tuple(model.decoder_embeddings[name].pos_emb.shape) == (1, 784, CONFIG["dim"]), name
    sd = model.state_dict(keep_vars=True)
    described = write_checkpoint_json(lambda folder: save_checkpoint(model, folder, CONFIG), sd, lambda key: fills.get(id(sd[key])),
                                      args.out, args.keep, "official-fm-sr")
    ref = reference_outputs(model, gen_mod, info_mod, args.out)
    ref["checkpointSha256"] = described["sha256"]
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"checkpoint {described['bytes']} bytes, sha256 {described['sha256'][:16]}…; "
          f"{len(described['tensors'])} tensors, {len(described['buffers'])} distinct buffers; "
          f"context {ref['context']['rows']} rows; schedule {[s['numTokens'] for s in ref['schedule']]}")


if __name__ == "__main__":
    main()
