"""Stand-ins for the few diffusers names the official DiVAE decode path touches, and injected noise.

The official tokenizer code (fourm/vq/scheduling, fourm/vq/models/unet) derives from diffusers 0.20
base classes that add saving, loading and config plumbing, and no arithmetic. diffusers is not
installed here (and cannot be), so these stand in for them:

- `ConfigMixin` + `register_to_config`: the official schedulers read their init arguments back as
  `self.config.<name>`; the decorator records them (defaults applied) on a namespace, as diffusers does.
- `ModelMixin`: a `torch.nn.Module` with the `device` property the pipeline reads.
- `DiffusionPipeline.register_modules`: sets the modules as attributes.
- `BaseOutput`, `SchedulerMixin`: plain bases (the outputs are dataclasses).
- `randn_tensor`: the official DDPM step's per-step noise, drawn from a `NoiseStream`.

The official `PipelineCond` draws its starting noise with `torch.randn`; `pipeline_noise` swaps the
pipeline module's `torch` for a view whose `randn` reads the same stream, so the official loop and
the TypeScript loop consume identical noise in the same order (start, then each DDPM step with t > 0).
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import math
import sys
import types

import numpy as np
import torch

from .fm_fixture import fnv1a32, hash_int16
from .official_import import _PlaceholderModule


def hashed_normal(seed: str, n: int) -> np.ndarray:
    """n standard-normal-ish float32 values from the int16 hash: Box-Muller's cosine branch over
    uniforms (h + 32768.5) / 65536 in (0, 1). Rebuilt identically in TypeScript (the test)."""
    h = hash_int16(fnv1a32(seed), 2 * n).astype(np.float64)
    u1 = (h[0::2] + 32768.5) / 65536.0
    u2 = (h[1::2] + 32768.5) / 65536.0
    return (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * math.pi * u2)).astype(np.float32)


class NoiseStream:
    """Draw k is `hashed_normal(f"{prefix}/{k}", size)`; records each draw's shape."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.draws: list[list[int]] = []

    def draw(self, shape) -> torch.Tensor:
        shape = tuple(int(s) for s in shape)
        k = len(self.draws)
        self.draws.append(list(shape))
        return torch.from_numpy(hashed_normal(f"{self.prefix}/{k}", int(np.prod(shape))).reshape(shape))


_STREAM: list[NoiseStream | None] = [None]


def _randn_tensor(shape, generator=None, device=None, dtype=None, layout=None):  # noqa: ARG001 - diffusers' signature
    stream = _STREAM[0]
    if stream is None:
        raise RuntimeError("randn_tensor called outside pipeline_noise()")
    return stream.draw(shape)


class ConfigMixin:
    pass


def register_to_config(init):
    sig = inspect.signature(init)

    @functools.wraps(init)
    def wrapped(self, *args, **kwargs):
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        values.pop("self")
        self.config = types.SimpleNamespace(**values)
        return init(self, *args, **kwargs)

    return wrapped


class ModelMixin(torch.nn.Module):
    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device


class DiffusionPipeline:
    def __init__(self) -> None:
        pass

    def register_modules(self, **modules) -> None:
        for name, module in modules.items():
            setattr(self, name, module)


class BaseOutput:
    pass


class SchedulerMixin:
    pass


def install() -> None:
    """Registers the stand-ins under diffusers' module names (only where diffusers is absent)."""
    try:
        import diffusers  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("diffusers is installed: these fixtures were made with the stand-ins; uninstall it or use a clean environment")
    names = {
        "diffusers": {"DiffusionPipeline": DiffusionPipeline},
        "diffusers.configuration_utils": {"ConfigMixin": ConfigMixin, "register_to_config": register_to_config},
        "diffusers.models": {},
        "diffusers.models.modeling_utils": {"ModelMixin": ModelMixin},
        "diffusers.utils": {"BaseOutput": BaseOutput, "randn_tensor": _randn_tensor},
        "diffusers.schedulers": {},
        "diffusers.schedulers.scheduling_utils": {"SchedulerMixin": SchedulerMixin},
    }
    for name, attrs in names.items():
        if name not in sys.modules:
            sys.modules[name] = _PlaceholderModule(name)  # other names: inert placeholders
        sys.modules[name].__dict__.update(attrs)


class _TorchView:
    """The torch module with `randn` reading the noise stream (the pipeline's starting noise)."""

    def __init__(self, stream: NoiseStream) -> None:
        self._stream = stream

    def randn(self, *shape, generator=None, **_kw):  # noqa: ARG002
        if len(shape) == 1 and isinstance(shape[0], (tuple, list, torch.Size)):
            shape = tuple(shape[0])
        return self._stream.draw(shape)

    def __getattr__(self, name):
        return getattr(torch, name)


@contextlib.contextmanager
def pipeline_noise(stream: NoiseStream):
    import fourm.vq.scheduling.diffusion_pipeline as pipeline_module  # noqa: E402

    saved = pipeline_module.torch
    pipeline_module.torch = _TorchView(stream)
    _STREAM[0] = stream
    try:
        yield stream
    finally:
        pipeline_module.torch = saved
        _STREAM[0] = None
