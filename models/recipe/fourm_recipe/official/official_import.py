"""Import the official 4M FM classes from a local checkout of github.com/apple/ml-4m.

The official package imports many libraries at module level (torchvision, webdataset, cv2, wandb,
diffusers, ...) that the FM forward and the generation sampler never call. Any of them that is not
installed is replaced by a placeholder module whose attributes are inert placeholder classes: module
level uses (decorators, base classes, `pipelinefilter(f)`) get another placeholder back, so the imports
succeed. Nothing computed by a placeholder can reach the FM outputs, which are plain torch.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import random
import sys
import types
from pathlib import Path


class _PlaceholderMeta(type):
    def __getattr__(cls, name: str):  # noqa: D105 - attribute chains like torchvision.transforms.InterpolationMode.BICUBIC
        if name.startswith("__"):
            raise AttributeError(name)
        return _placeholder(f"{cls.__name__}.{name}")

    def __iter__(cls):  # noqa: D105 - module-level loops over enums (`[e.name for e in KarrasDiffusionSchedulers]`)
        return iter(())


def _placeholder(name: str) -> type:
    def init(self, *_a, **_k):
        return None

    def call(self, *_a, **_k):
        return _placeholder(f"{name}()")

    return _PlaceholderMeta(name, (), {"__init__": init, "__call__": call})


class _PlaceholderModule(types.ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__path__: list[str] = []  # a package, so submodule imports work

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = _placeholder(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves a placeholder for every module under the listed top-level names that is not installed."""

    def __init__(self, roots: set[str]) -> None:
        self.roots = roots

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in self.roots:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return _PlaceholderModule(spec.name)

    def exec_module(self, module):
        return None


# Imported by the official package at module level, never called by the FM classes or the sampler.
_OPTIONAL = [
    "torchvision", "webdataset", "braceexpand", "cv2", "wandb", "diffusers", "albumentations", "boto3",
    "botocore", "pandas", "matplotlib", "sklearn", "ftfy", "regex", "datasets", "torchmetrics", "timm",
    "skimage", "scipy", "PIL", "huggingface_hub", "fsspec", "tqdm", "yaml", "xformers", "smart_open",
]
# The tokenizer classes (fourm/vq) also import diffusers at module level; the VQ-VAE path never calls it.
# xformers must stay missing there: fourm/vq/models/vit_models.py switches its attention on the import.
_OPTIONAL_VQ = [n for n in _OPTIONAL if n != "xformers"] + ["diffusers", "transformers", "accelerate"]


def _missing(names: list[str]) -> set[str]:
    out = set()
    for n in names:
        try:
            if importlib.util.find_spec(n) is None:
                out.add(n)
        except (ImportError, ValueError):
            out.add(n)
    return out


def _prepare(checkout, optional: list[str]) -> Path:
    root = Path(checkout or os.environ.get("ML4M_DIR", "/tmp/ml-4m")).resolve()
    if not (root / "fourm" / "models" / "fm.py").exists():
        raise SystemExit(f"{root}: not a checkout of github.com/apple/ml-4m (set ML4M_DIR)")
    missing = _missing(optional)
    if missing:
        sys.meta_path.insert(0, _Finder(missing))
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return root


def import_official_vq(checkout: str | os.PathLike[str] | None = None):
    """Returns (vqvae module, vit_models module) of the official tokenizer code (fourm/vq)."""
    _prepare(checkout, _OPTIONAL_VQ)
    import fourm.vq.vqvae as vqvae  # noqa: E402
    import fourm.vq.models.vit_models as vit_models  # noqa: E402

    return vqvae, vit_models


def import_official(checkout: str | os.PathLike[str] | None = None):
    """Returns (fm module, generate module, modality_info module) of the official code."""
    _prepare(checkout, _OPTIONAL)
    # Python >= 3.11 refuses random.sample over a dict view, which fourm.models.fm passes it;
    # the official code targets older Pythons. Same draw, on a list.
    original = random.sample
    if not getattr(original, "_accepts_views", False):
        def sample(population, k, **kw):
            if not isinstance(population, (list, tuple, range, str)):
                population = list(population)
            return original(population, k, **kw)

        sample._accepts_views = True  # type: ignore[attr-defined]
        random.sample = sample  # type: ignore[assignment]
    import fourm.models.fm as fm  # noqa: E402
    import fourm.models.generate as generate  # noqa: E402
    import fourm.data.modality_info as modality_info  # noqa: E402

    return fm, generate, modality_info


def fixture_arguments(doc: str | None, extra=None):
    """The command line every reference-output maker shares: --out (folder) and --ml4m (the official
    checkout), plus what `extra(parser)` adds; torch on one thread so that outputs are reproducible."""
    import argparse

    import torch

    ap = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--ml4m", default=None, help="checkout of github.com/apple/ml-4m (default $ML4M_DIR or /tmp/ml-4m)")
    if extra:
        extra(ap)
    args = ap.parse_args()
    torch.set_num_threads(1)
    return args


def keep_argument(ap) -> None:
    """--keep, for the makers that save a checkpoint (`write_checkpoint_json`): where to keep its folder."""
    ap.add_argument("--keep", type=Path, default=None, help="also keep the checkpoint folder here")
