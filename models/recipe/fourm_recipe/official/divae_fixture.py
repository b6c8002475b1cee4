"""One denoising step of the official DiVAE decoder (patched UNet) with deterministic weights.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.divae_fixture --out ../../test/fixtures/official-divae-unet

What it does:
1. Builds the official `PatchedUNetCondCat` (fourm/vq/models/unet/unet.py, what `unet_patched` makes
   for the RGB / depth / normal / edge DiVAE tokenizers) with the released settings except the width:
   patch 4, 3 channels, a 32-channel quantized condition, 1 head with the legacy QKV order, no
   scale-shift norm, conv resampling; shrunk to model_channels 32, channel_mult (1, 2), one ResBlock per
   level, attention at 2x downsampling (and in the middle block). GroupNorm(32) needs >= 32 channels.
   `UNetModel` derives from diffusers' `ModelMixin, ConfigMixin`, which add saving and config
   plumbing and no computation; without diffusers installed they are stood in for by `torch.nn.Module`
   and `object`.
2. Fills every parameter with the hash of (tensor name, index) that fm_fixture.py uses (the official
   init zeroes the output convolutions; hashed values keep every path live), names them as the DiVAE
   checkpoint does (`decoder.` + the UNet's names) and saves `model.safetensors` in a temporary folder;
   records its header and SHA-256 so the test rebuilds the identical file.
3. Runs the UNet on a hashed x_t [1, 3, 224, 224] (seed "x_t") and a hashed condition [1, 32, 14, 14]
   (seed "quant") at two timesteps and writes the outputs at 2048 sampled values each.

`--variant rgb` / `--variant depth` make a whole DiVAE tokenizer file instead (divae_whole.py):

    python -m fourm_recipe.official.divae_fixture --variant rgb --out ../../test/fixtures/official-divae-rgb
    python -m fourm_recipe.official.divae_fixture --variant depth --out ../../test/fixtures/official-divae-depth
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from .fm_fixture import describe_file, fill_value, rounded
from .official_import import fixture_arguments, _OPTIONAL_VQ, _PlaceholderModule, _prepare
from .vq_fixture import pow2

UNET = {
    "in_channels": 3, "out_channels": 3, "cond_channels": 32, "patch_size": 4,
    "model_channels": 32, "num_res_blocks": 1, "attention_resolutions": [2], "channel_mult": [1, 2],
    "dropout": 0, "num_heads": 1, "num_head_channels": -1, "use_scale_shift_norm": False,
    "resblock_updown": False, "use_new_attention_order": False, "conv_resample": True,
}
SIZE = 224
TIMESTEPS = [980, 20]
SAMPLED = 2048


def import_unet(checkout):
    # diffusers' ModelMixin is a torch.nn.Module with save/load helpers; ConfigMixin stores init args.
    for name, attrs in {"diffusers.models.modeling_utils": {"ModelMixin": torch.nn.Module},
                        "diffusers.configuration_utils": {"ConfigMixin": object}}.items():
        if name not in sys.modules:
            try:
                __import__(name)
            except ImportError:
                m = _PlaceholderModule(name)  # other names (register_to_config, …): inert placeholders
                m.__dict__.update(attrs)
                sys.modules[name] = m
    _prepare(checkout, _OPTIONAL_VQ)
    import fourm.vq.models.unet.unet as unet  # noqa: E402

    return unet


def fill_rule(key: str, t: torch.Tensor) -> tuple[float, float]:
    if t.ndim == 1:
        if ".norm" in key or key.endswith(("in_layers.0.weight", "out_layers.0.weight", "out.0.weight")):
            return (1.0, 2.0 ** -3) if key.endswith(".weight") else (0.0, 2.0 ** -4)
        return 0.0, 2.0 ** -4
    fan_in = int(np.prod(t.shape[1:]))
    return 0.0, pow2(np.sqrt(3.0 / fan_in))


def build_model(unet):
    torch.manual_seed(0)
    model = unet.PatchedUNetCondCat(**UNET).eval()
    fills: dict[str, dict] = {}
    with torch.no_grad():
        for key, t in model.state_dict(keep_vars=True).items():
            full = f"decoder.{key}"
            base, scale = fill_rule(full, t)
            t.copy_(torch.from_numpy(fill_value(full, base, scale, tuple(t.shape))))
            fills[full] = {"seed": full, "base": base, "scale": scale}
    return model, fills


class Named(torch.nn.Module):
    """Holds the UNet as `decoder`, so the saved names are the DiVAE checkpoint's."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder


def main() -> None:
    args = fixture_arguments(__doc__, lambda ap: ap.add_argument(
        "--variant", choices=["unet", "rgb", "depth"], default="unet",
        help="unet: one denoising step of the UNet alone; rgb / depth: a whole DiVAE file and its decodes"))
    if args.variant != "unet":
        from .divae_whole import make_whole

        make_whole(args.variant, args.out, args.ml4m)
        return
    from safetensors.torch import save_model

    unet = import_unet(args.ml4m)
    args.out.mkdir(parents=True, exist_ok=True)
    model, fills = build_model(unet)
    holder = Named(model)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save_model(holder, str(folder / "model.safetensors"))
        (folder / "config.json").write_text(json.dumps({"dec_type": "unet_patched", "unet": UNET}, indent=2))
        described = describe_file(holder.state_dict(), fills.get, folder / "model.safetensors", args.out)
    (args.out / "checkpoint.json").write_text(json.dumps(described))
    g = np.random.default_rng(16)
    x_shape, q_shape = (1, 3, SIZE, SIZE), (1, 32, SIZE // 16, SIZE // 16)
    x = torch.from_numpy(fill_value("x_t", 0.0, 1.0, x_shape))
    q = torch.from_numpy(fill_value("quant", 0.0, 1.0, q_shape))
    n = int(np.prod(x_shape))
    idx = np.sort(g.choice(n, SAMPLED, replace=False))
    outs = []
    ref = {"checkpointSha256": described["sha256"], "unet": UNET,
           "inputs": {"x_t": {"seed": "x_t", "base": 0.0, "scale": 1.0, "shape": list(x_shape)},
                      "quant": {"seed": "quant", "base": 0.0, "scale": 1.0, "shape": list(q_shape)}},
           "timesteps": TIMESTEPS, "indices": idx.tolist(), "file": "outputs.bin", "maxAbs": []}
    with torch.no_grad():
        for t in TIMESTEPS:
            y = model(x, torch.tensor([t]), q).numpy().reshape(-1)
            outs.append(y[idx].astype("<f4"))
            ref["maxAbs"].append(float(np.abs(y).max()))
    (args.out / "outputs.bin").write_bytes(np.concatenate(outs).tobytes())
    ref["outputsSha256"] = hashlib.sha256(np.concatenate(outs).tobytes()).hexdigest()
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"checkpoint {described['bytes']} bytes, {len(described['tensors'])} tensors; |out| ≤ {rounded(np.array(ref['maxAbs']))}")


if __name__ == "__main__":
    main()
