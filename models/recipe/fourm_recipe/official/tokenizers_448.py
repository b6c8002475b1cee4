"""What the official tokenizers decode from a 28 x 28 token grid (448 px), the super-resolution
model's output, on the tokenizer fixtures' own checkpoints.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.tokenizers_448 --out ../../test/fixtures/official-tokenizers-448

1. Rebuilds the semseg VQ-VAE of vq_fixture.py and the RGB DiVAE of divae_whole.py (the official
   classes, the same hashed weights) and checks that each saves to the file its fixture recorded
   (SHA-256 of test/fixtures/official-vqvae and official-divae-rgb): the test reuses those
   checkpoints, so nothing new is committed but the outputs.
2. VQ-VAE: `decode_tokens` of committed 28 x 28 ids (a 448 x 448 class-logit map; the stored 28 x 28
   position tables are used at their own size). Writes the logits of every class at 512 sampled
   pixels and the argmax at 4,096 sampled pixels.
3. DiVAE: `decode_tokens(ids, image_size=448)` of committed 28 x 28 ids through the official
   PipelineCond with the official DDIM scheduler, 2 steps, the noise injected from the hashed stream
   `noise/ddim2-448` (diffusers_standins.py). Writes 4,096 sampled values of the [1, 3, 448, 448] result.
4. The same for the 1-channel depth DiVAE of divae_whole.py (the depth / edge layout, 8,192 codes;
   checked against test/fixtures/official-divae-depth) with its own DDPM scheduler, 2 steps, noise
   `noise/depth-ddpm2-448`; and for a normal-map DiVAE (3 channels, 8,192 codes, the layout of
   `4M_tokenizers_normal_8k_224-448`; otherwise the RGB member's config and hashed weights), which
   no other fixture has: its checkpoint is described in `divae-normal/` (checkpoint.json +
   buffers.bin, rebuilt by the test) and decoded with DDIM, 2 steps, noise `noise/normal-ddim2-448`.
   Each writes 4,096 sampled values of its [1, C, 448, 448] decode.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from . import diffusers_standins
from .divae_whole import VARIANTS as DIVAE_VARIANTS
from .divae_whole import build_model as build_divae
from .divae_whole import import_divae, scheduler_for
from .fm_fixture import describe_file
from .official_import import fixture_arguments
from .vq_fixture import CONFIG as SEMSEG_CONFIG
from .vq_fixture import NUM_CLASSES, save_checkpoint
from .vq_fixture import build_model as build_vqvae

SIZE, GRID = 448, 28
FIXTURES = Path(__file__).resolve().parents[4] / "test" / "fixtures"


def saved_sha(model, config: dict) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        file = save_checkpoint(model, Path(tmp) / "tok", config)
        return hashlib.sha256(file.read_bytes()).hexdigest()


def expect_fixture(model, config: dict, fixture: str) -> str:
    want = json.loads((FIXTURES / fixture / "checkpoint.json").read_text())["sha256"]
    got = saved_sha(model, config)
    if got != want:
        raise SystemExit(f"{fixture}: the rebuilt checkpoint is {got[:16]}…, the fixture recorded {want[:16]}…")
    return got


def main() -> None:
    args = fixture_arguments(__doc__)
    vqvae = import_divae(args.ml4m)  # the DiVAE import also registers vq_fixture's ViT presets
    import fourm.vq.models.vit_models as vit_models  # noqa: E402

    args.out.mkdir(parents=True, exist_ok=True)
    g = np.random.default_rng(448)
    ref: dict = {"size": SIZE, "grid": GRID}

    semseg, _ = build_vqvae(vqvae, vit_models, SEMSEG_CONFIG)
    ref["semseg"] = {"checkpointSha256": expect_fixture(semseg, SEMSEG_CONFIG, "official-vqvae")}
    with torch.no_grad():
        ids = g.integers(0, SEMSEG_CONFIG["codebook_size"], (1, GRID, GRID))
        logits = semseg.decode_tokens(torch.from_numpy(ids))
        assert tuple(logits.shape) == (1, NUM_CLASSES, SIZE, SIZE), logits.shape
        flat = logits[0].numpy().reshape(NUM_CLASSES, -1)
        pixels = np.sort(g.choice(SIZE * SIZE, 512, replace=False))
        (args.out / "semseg-logits.bin").write_bytes(np.ascontiguousarray(flat[:, pixels].T).astype("<f4").tobytes())
        argmax_pixels = np.sort(g.choice(SIZE * SIZE, 4096, replace=False))
        top2 = np.sort(flat[:, argmax_pixels], axis=0)[-2:]
        ref["semseg"].update({
            "ids": ids[0].flatten().tolist(), "classes": NUM_CLASSES, "logitsFile": "semseg-logits.bin",
            "pixels": pixels.tolist(), "argmaxPixels": argmax_pixels.tolist(),
            "argmax": flat[:, argmax_pixels].argmax(axis=0).tolist(), "gap": (top2[1] - top2[0]).round(7).tolist(),
            "maxAbsLogit": float(np.abs(flat).max()),
        })

    config = DIVAE_VARIANTS["rgb"]
    rgb, _ = build_divae(vqvae, config)
    ref["rgb"] = {"checkpointSha256": expect_fixture(rgb, config, "official-divae-rgb")}
    with torch.no_grad():
        ids = g.integers(0, config["codebook_size"], (1, GRID, GRID))
        sched = scheduler_for(vqvae, rgb, config, "ddim")
        stream = diffusers_standins.NoiseStream("noise/ddim2-448")
        with diffusers_standins.pipeline_noise(stream):
            dec = rgb.decode_tokens(torch.from_numpy(ids), timesteps=2, scheduler=sched, image_size=SIZE, verbose=False)
        assert tuple(dec.shape) == (1, 3, SIZE, SIZE), dec.shape
        y = dec.numpy().reshape(-1)
        idx = np.sort(g.choice(y.size, 4096, replace=False))
        (args.out / "rgb-decoded.bin").write_bytes(y[idx].astype("<f4").tobytes())
        ref["rgb"].update({
            "ids": ids[0].flatten().tolist(), "shape": [1, 3, SIZE, SIZE], "scheduler": "ddim", "steps": 2,
            "timesteps": sched.timesteps.tolist(), "noisePrefix": stream.prefix, "noiseDraws": len(stream.draws),
            "indices": idx.tolist(), "file": "rgb-decoded.bin", "maxAbs": float(np.abs(y).max()),
        })
    # Appended after the semseg and RGB draws of `g`, which stay as they were.
    normal_config = {**DIVAE_VARIANTS["rgb"], "codebook_size": 8192, "domain": "normal"}
    for name, config, fixture, kind in (("depth", DIVAE_VARIANTS["depth"], "official-divae-depth", "ddpm"),
                                        ("normal", normal_config, None, "ddim")):
        model, fills = build_divae(vqvae, config)
        if fixture is not None:
            ref[name] = {"checkpointSha256": expect_fixture(model, config, fixture), "checkpoint": fixture}
        else:
            folder = args.out / f"divae-{name}"
            folder.mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp:
                file = save_checkpoint(model, Path(tmp) / "tok", config)
                described = describe_file(model.state_dict(), fills.get, file, folder)
            (folder / "checkpoint.json").write_text(json.dumps(described))
            ref[name] = {"checkpointSha256": described["sha256"], "checkpoint": f"official-tokenizers-448/divae-{name}"}
        C = config["n_channels"]
        with torch.no_grad():
            ids = g.integers(0, config["codebook_size"], (1, GRID, GRID))
            sched = scheduler_for(vqvae, model, config, kind)
            stream = diffusers_standins.NoiseStream(f"noise/{name}-{kind}2-448")
            with diffusers_standins.pipeline_noise(stream):
                dec = model.decode_tokens(torch.from_numpy(ids), timesteps=2, scheduler=sched, image_size=SIZE, verbose=False)
            assert tuple(dec.shape) == (1, C, SIZE, SIZE), dec.shape
            used = sched if sched is not None else model.noise_scheduler
            y = dec.numpy().reshape(-1)
            idx = np.sort(g.choice(y.size, 4096, replace=False))
            (args.out / f"{name}-decoded.bin").write_bytes(y[idx].astype("<f4").tobytes())
            ref[name].update({
                "ids": ids[0].flatten().tolist(), "shape": [1, C, SIZE, SIZE], "scheduler": kind, "steps": 2,
                "timesteps": used.timesteps.tolist(), "noisePrefix": stream.prefix, "noiseDraws": len(stream.draws),
                "indices": idx.tolist(), "file": f"{name}-decoded.bin", "maxAbs": float(np.abs(y).max()),
                "clampedShare": float((np.abs(y) >= 1.0).mean()),
            })
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"semseg 448: |logit| ≤ {ref['semseg']['maxAbsLogit']:.2f}, min gap {min(ref['semseg']['gap']):.2e}; "
          f"rgb 448: DDIM {ref['rgb']['timesteps']}, {ref['rgb']['noiseDraws']} noise draws, |x| ≤ {ref['rgb']['maxAbs']:.3f}; "
          + "; ".join(f"{n} 448: {ref[n]['scheduler']} {ref[n]['timesteps']}, {ref[n]['noiseDraws']} draws, |x| ≤ {ref[n]['maxAbs']:.3f}" for n in ("depth", "normal")))


if __name__ == "__main__":
    main()
