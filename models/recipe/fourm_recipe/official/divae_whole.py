"""A whole official DiVAE tokenizer file (ViT encoder, cosine codebook, patched-UNet diffusion decoder)
with deterministic weights, and what the official code decodes from it. Called by divae_fixture.py
(`--variant rgb` / `--variant depth`).

1. Builds the official `DiVAE` (fourm/vq/vqvae.py) from a config in the released tokenizers' layout
   (`4M_tokenizers_rgb_16k_224-448`: ViT-B/16 encoder with the tanh post-MLP, 448 px training grid,
   16,384 x 32 cosine codebook, `unet_patched` decoder, DDPM over 1000 linear betas rescaled to zero
   terminal SNR, x0 prediction, thresholding), shrunk: the ViT is vq_fixture's `vit_t_enc` (width 128,
   depth 2), the UNet is the official `PatchedUNetCondCat` registered as `unet_t_patched` with
   model_channels 32, channel_mult (1, 2), one ResBlock per level, attention at 2x (as the UNet-step
   fixture). `depth` is the 1-channel member (8,192 codes), as the depth and edge tokenizers.
2. Fills every tensor with the hash of (name, index) (vq_fixture's and divae_fixture's rules; the
   encoder's frozen position table and the quantizer's training statistics too, which keeps the
   fixture small; inference never reads the statistics) and saves it as the released files are
   saved (config.json + model.safetensors).
3. Runs the official code: `tokenize` of a hashed picture in [-1, 1]; `decode_tokens` of committed
   ids through the official `PipelineCond` and the official schedulers (fourm/vq/scheduling) with
   diffusers' base classes stood in (diffusers_standins.py) and the noise injected from a hashed
   stream the TypeScript test rebuilds: the DiVAE's own DDPM scheduler, and the official
   DDIMScheduler built with the same settings (the preview path). Each decode's values are written
   at 4,096 sampled positions.
"""
from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from . import diffusers_standins
from .divae_fixture import fill_rule as unet_fill_rule
from .fm_fixture import describe_file, fill_value
from .official_import import _OPTIONAL_VQ, _prepare
from .vq_fixture import fill_rule as vq_fill_rule
from .vq_fixture import register_presets, save_checkpoint, token_references

UNET_T = {"patch_size": 4, "model_channels": 32, "num_res_blocks": 1, "attention_resolutions": [2], "channel_mult": (1, 2)}
SIZE = 224
SAMPLED = 4096

# The released DiVAE config keys (DiVAE / VQ __init__ names), ViT and UNet swapped for the shrunk ones.
BASE = {
    "image_size": 448, "image_size_enc": None, "image_size_dec": None, "n_labels": None,
    "enc_type": "vit_t_enc", "dec_type": "unet_t_patched", "patch_proj": True, "post_mlp": True, "patch_size": 16,
    "quant_type": "lucid", "num_codebooks": 1, "latent_dim": 32, "norm_codes": True, "norm_latents": False,
    "sync_codebook": False, "ema_decay": 0.99, "threshold_ema_dead_code": 0.25,
    "code_replacement_policy": "batch_random", "commitment_weight": 1.0, "kmeans_init": False, "undo_std": False,
    "num_train_timesteps": 1000, "scheduler": "ddpm", "beta_schedule": "linear", "prediction_type": "sample",
    "clip_sample": False, "thresholding": True, "zero_terminal_snr": True,
    "cls_free_guidance_dropout": 0.0, "masked_cfg": False, "conditioning": "concat",
}
VARIANTS = {
    "rgb": {**BASE, "n_channels": 3, "codebook_size": 16384, "domain": "rgb"},
    "depth": {**BASE, "n_channels": 1, "codebook_size": 8192, "domain": "depth"},
}
# (scheduler, steps): the demo's 50 DDPM steps and a 10-step DDIM preview; depth: 10 DDPM steps.
CASES = {"rgb": [("ddpm", 50), ("ddim", 10)], "depth": [("ddpm", 10)]}


def import_divae(checkout):
    diffusers_standins.install()
    _prepare(checkout, _OPTIONAL_VQ)
    import fourm.vq.vqvae as vqvae  # noqa: E402
    import fourm.vq.models.vit_models as vit_models  # noqa: E402
    import fourm.vq.models.unet.unet as unet  # noqa: E402

    register_presets(vit_models)
    unet.unet_t_patched = functools.partial(unet.PatchedUNetCondCat, **UNET_T)
    return vqvae


def fill_rule(key: str, t: torch.Tensor) -> tuple[float, float]:
    if key.startswith("decoder."):
        return unet_fill_rule(key, t)
    if key == "encoder.pos_emb" or key.startswith("quantize._codebook."):
        return 0.0, 1.0
    return vq_fill_rule(key, t)


def build_model(vqvae, config: dict):
    torch.manual_seed(0)
    model = vqvae.DiVAE(config=dict(config)).eval()
    fills: dict[str, dict] = {}
    with torch.no_grad():
        for key, t in model.state_dict(keep_vars=True).items():
            if not t.is_floating_point() or t.numel() == 1:
                continue  # `initted`: stored as is
            base, scale = fill_rule(key, t)
            t.copy_(torch.from_numpy(fill_value(key, base, scale, tuple(t.shape))))
            fills[key] = {"seed": key, "base": base, "scale": scale}
    return model, fills


def scheduler_for(vqvae, model, config: dict, kind: str):
    """None: the DiVAE's own scheduler; 'ddim': the official DDIMScheduler with the settings DiVAE passes."""
    if kind == config["scheduler"]:
        return None
    cls = vqvae.DDIMScheduler if kind == "ddim" else vqvae.DDPMScheduler
    return cls(num_train_timesteps=config["num_train_timesteps"], thresholding=config["thresholding"],
               clip_sample=config["clip_sample"], beta_schedule=config["beta_schedule"],
               prediction_type=config["prediction_type"], zero_terminal_snr=config["zero_terminal_snr"])


def make_whole(variant: str, out: Path, checkout) -> None:
    vqvae = import_divae(checkout)
    config = VARIANTS[variant]
    out.mkdir(parents=True, exist_ok=True)
    model, fills = build_model(vqvae, config)
    with tempfile.TemporaryDirectory() as tmp:
        file = save_checkpoint(model, Path(tmp) / "official-divae", config)
        described = describe_file(model.state_dict(), fills.get, file, out)
    (out / "checkpoint.json").write_text(json.dumps(described))

    C = config["n_channels"]
    g = np.random.default_rng(17)
    ref: dict = {"checkpointSha256": described["sha256"], "variant": variant, "unet": {k: list(v) if isinstance(v, tuple) else v for k, v in UNET_T.items()}}
    with torch.no_grad():
        shape = (1, C, SIZE, SIZE)
        pixels = torch.from_numpy(fill_value("pixels", 0.0, 1.0, shape))
        ref["input"] = {"seed": "pixels", "base": 0.0, "scale": 1.0, "shape": list(shape)}
        ref.update(token_references(model, pixels, SIZE // config["patch_size"]))

        ids = g.integers(0, config["codebook_size"], (1, 14, 14))
        n = C * SIZE * SIZE
        idx = np.sort(g.choice(n, SAMPLED, replace=False))
        ref["decode"] = {"ids": ids[0].flatten().tolist(), "shape": [1, C, SIZE, SIZE], "indices": idx.tolist(), "cases": []}
        blobs = []
        for kind, steps in CASES[variant]:
            sched = scheduler_for(vqvae, model, config, kind)
            stream = diffusers_standins.NoiseStream(f"noise/{kind}{steps}")
            with diffusers_standins.pipeline_noise(stream):
                dec = model.decode_tokens(torch.from_numpy(ids), timesteps=steps, scheduler=sched, image_size=SIZE, verbose=False)
            used = sched if sched is not None else model.noise_scheduler
            y = dec.numpy().reshape(-1)
            blobs.append(y[idx].astype("<f4"))
            ref["decode"]["cases"].append({
                "scheduler": kind, "steps": steps, "timesteps": used.timesteps.tolist(), "noisePrefix": stream.prefix,
                "noiseDraws": len(stream.draws), "maxAbs": float(np.abs(y).max()), "mean": float(y.mean()),
                "clampedShare": float((np.abs(y) >= 1.0).mean()),
            })
    data = np.concatenate(blobs).tobytes()
    (out / "decoded.bin").write_bytes(data)
    ref["decode"]["file"] = "decoded.bin"
    ref["decode"]["sha256"] = hashlib.sha256(data).hexdigest()
    (out / "reference.json").write_text(json.dumps(ref))
    print(f"{variant}: checkpoint {described['bytes']} bytes, {len(described['tensors'])} tensors; "
          f"{ref['distinctTokens']} distinct tokens (min gap {min(ref['tokenGap']):.2e}); decodes: "
          + ", ".join(f"{c['scheduler']} {c['steps']} |x| ≤ {c['maxAbs']:.3f} mean {c['mean']:.3f}" for c in ref["decode"]["cases"]))
