"""A tiny one-step diffusion denoiser as ONNX, and the loop's expected output, for the engine's
diffusion-decoder tests (4M's DiVAE path, reference §4.4: the sampling loop runs in TypeScript around a
one-step graph `(x_t, t, quant) → x0`).

The network is small and untrained (fixed seed): the tests check the loop, the schedule and the graph
plumbing against this independent NumPy loop, not image quality. Its layout follows the DiVAE UNet's
interface: patchify x_t by 4, concatenate the nearest-upsampled token condition, add a sin/cos timestep
embedding, convolve, unpatchify. The noise the loop draws is saved too, so TypeScript replays it exactly.

tiny_dequantize.onnx maps token ids to a condition, so a test can give a package's RGB tokenizer this
diffusion decoder.

Usage: python -m fourm_recipe.export.diffusion_fixture [--out test/fixtures/diffusion]
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parents[4]
DEFAULT_OUT = REPO / "test" / "fixtures" / "diffusion"
C, H, W, P, Q = 3, 16, 16, 4, 8  # image channels and size, patch, condition channels (tokens 4×4)
T_TRAIN = 1000


class TinyDenoiser(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        cin = C * P * P + Q
        self.time = nn.Sequential(nn.Linear(32, 64), nn.SiLU(), nn.Linear(64, cin))
        self.body = nn.Sequential(nn.Conv2d(cin, 64, 3, padding=1), nn.SiLU(), nn.Conv2d(64, C * P * P, 3, padding=1))

    def forward(self, x_t: torch.Tensor, t: torch.Tensor, quant: torch.Tensor) -> torch.Tensor:
        b = x_t.shape[0]
        nh, nw = x_t.shape[2] // P, x_t.shape[3] // P
        h = x_t.reshape(b, C, nh, P, nw, P).permute(0, 1, 3, 5, 2, 4).reshape(b, C * P * P, nh, nw)
        cond = nn.functional.interpolate(quant, size=(nh, nw), mode="nearest")
        h = torch.cat([h, cond], dim=1)
        freqs = torch.exp(-math.log(10000.0) * torch.arange(16, dtype=torch.float32) / 16)
        ang = t.float()[:, None] * freqs[None]
        h = h + self.time(torch.cat([torch.cos(ang), torch.sin(ang)], dim=1))[:, :, None, None]
        out = self.body(h)
        return torch.tanh(out.reshape(b, C, P, P, nh, nw).permute(0, 1, 4, 2, 5, 3).reshape(b, C, nh * P, nw * P))


class TinyDequantize(nn.Module):
    """Token ids [B, h, w] → the denoiser's condition [B, Q, h, w] (a codebook gather, as a DiVAE's quantizer)."""

    def __init__(self, vocab: int) -> None:
        super().__init__()
        self.codebook = nn.Parameter(torch.randn(vocab, Q, generator=torch.Generator().manual_seed(3)))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.codebook[ids].permute(0, 3, 1, 2)


def alphas_cumprod(beta_start: float, beta_end: float) -> np.ndarray:
    """Linear β rescaled to zero terminal SNR (Lin et al.), in float64."""
    betas = np.linspace(beta_start, beta_end, T_TRAIN, dtype=np.float64)
    sqrt_ab = np.sqrt(np.cumprod(1.0 - betas))
    first, last = sqrt_ab[0], sqrt_ab[-1]
    sqrt_ab = (sqrt_ab - last) * first / (first - last)
    return sqrt_ab ** 2


def run_loop(net: TinyDenoiser, quant: np.ndarray, ac: np.ndarray, scheduler: str, steps: int, rng: np.random.Generator):
    stride = T_TRAIN // steps
    ts = [stride * (steps - 1 - k) for k in range(steps)] if scheduler == "ddpm" else \
        [int(round(T_TRAIN - k * T_TRAIN / steps)) - 1 for k in range(steps)]
    x = rng.standard_normal((1, C, H, W))
    draws = [x.ravel().copy()]
    for t in ts:
        with torch.no_grad():
            out = net(torch.tensor(x, dtype=torch.float32), torch.tensor([float(t)]), torch.tensor(quant)).double().numpy()
        x0 = np.clip(out, -1.0, 1.0)
        ab, prev = ac[t], t - stride
        ab_prev = ac[prev] if prev >= 0 else 1.0
        if scheduler == "ddpm":
            alpha, beta = ab / ab_prev, 1.0 - ab / ab_prev
            x = math.sqrt(ab_prev) * beta / (1 - ab) * x0 + math.sqrt(alpha) * (1 - ab_prev) / (1 - ab) * x
            if prev >= 0:
                z = rng.standard_normal(x.shape)
                draws.append(z.ravel().copy())
                x = x + math.sqrt(max((1 - ab_prev) / (1 - ab) * beta, 1e-20)) * z
        else:
            eps = (x - math.sqrt(ab) * x0) / math.sqrt(1 - ab)
            x = math.sqrt(ab_prev) * x0 + math.sqrt(1 - ab_prev) * eps
    return ts, draws, x


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    net = TinyDenoiser().eval()
    quant = np.random.default_rng(7).standard_normal((1, Q, H // P, W // P)).astype(np.float32)
    graph = args.out / "tiny_denoiser.onnx"
    torch.onnx.export(net, (torch.zeros(1, C, H, W), torch.zeros(1), torch.tensor(quant)), str(graph),
                      input_names=["x_t", "t", "quant"], output_names=["x0"], opset_version=17, dynamo=False,
                      dynamic_axes={"x_t": {0: "B", 2: "H", 3: "W"}, "t": {0: "B"}, "quant": {0: "B", 2: "h", 3: "w"},
                                    "x0": {0: "B", 2: "H", 3: "W"}})
    # For engine tests that swap it into a package's RGB tokenizer (vocabulary 6000, as world-4m-small).
    dequant = args.out / "tiny_dequantize.onnx"
    torch.onnx.export(TinyDequantize(6000), (torch.zeros(1, 4, 4, dtype=torch.int64),), str(dequant), input_names=["ids"],
                      output_names=["quant"], opset_version=17, dynamo=False,
                      dynamic_axes={"ids": {0: "B", 1: "h", 2: "w"}, "quant": {0: "B", 2: "h", 3: "w"}})
    ac = alphas_cumprod(1e-4, 0.02)
    cases = []
    for scheduler, steps in (("ddpm", 10), ("ddim", 5)):
        ts, draws, x = run_loop(net, quant, ac, scheduler, steps, np.random.default_rng(11))
        cases.append({"scheduler": scheduler, "steps": steps, "timesteps": ts,
                      "noise": [d.astype(np.float32).tolist() for d in draws],
                      "expected": x.astype(np.float32).ravel().tolist()})
    fixture = {
        "about": "python -m fourm_recipe.export.diffusion_fixture: an untrained tiny denoiser and its NumPy loop",
        "shape": [1, C, H, W], "quantShape": list(quant.shape), "quant": quant.ravel().tolist(),
        "schedule": {"numTrainTimesteps": T_TRAIN, "betaSchedule": "linear", "betaStart": 1e-4, "betaEnd": 0.02,
                     "zeroTerminalSnr": True},
        "alphasCumprod": {str(i): ac[i] for i in (0, 1, 499, 980, 998, 999)},
        "prediction": "sample", "clipSample": 1.0, "cases": cases,
    }
    (args.out / "reference.json").write_text(json.dumps(fixture) + "\n")
    print(f"wrote {graph} ({graph.stat().st_size} bytes), {dequant} ({dequant.stat().st_size} bytes) and reference.json")


if __name__ == "__main__":
    main()
