"""The 224 px picture 4M's super-resolution data holds beside the 448 px one: the reference for the
engine's derived rgb@224 condition (models/engine/generate/official-coarse-picture.ts).

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.sr_condition_224 --out ../../test/fixtures/official-sr-condition

In the official data pipeline (fourm/data/modality_transforms.py, `UnifiedDataTransform` as
fourm/data/unified_datasets.py builds it, no resample_mode) `rgb@224` and `rgb@448` are read from the
same file ('path': 'rgb' in MODALITY_INFO) and each crop is resized to its modality's size by
`image_crop_and_resize`: PIL's `Image.resize` with `get_pil_resample_mode(None)`, i.e. PIL's default
filter for RGB, bicubic (a = -0.5, widened by the scale factor when shrinking). Given only the 448
picture, the same call shrinks it to 224. This draws a 448 x 448 RGB picture (gradients, a disc,
one-pixel stripes and a hashed-noise patch, which separate filters clearly), writes it and what that
call makes of it at 224 x 224 (and, to exercise a factor that is not whole, at 160 x 160) as PNGs.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
from PIL import Image

from .official_import import _OPTIONAL_VQ, _prepare, fixture_arguments

SIZE = 448


def picture() -> np.ndarray:
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    img = np.stack([x / SIZE * 255, y / SIZE * 255, 128 + 100 * np.sin((x + y) / 23.0)], -1)
    img[(x - 300) ** 2 + (y - 150) ** 2 < 80 ** 2] = (250, 230, 40)
    stripes = (y >= 280) & (y < 400) & (x >= 40) & (x < 200)
    img[stripes & (x % 2 == 0)] = (255, 255, 255)
    img[stripes & (x % 2 == 1)] = (0, 0, 0)
    h = np.arange(64 * 64 * 3, dtype=np.uint64).reshape(64, 64, 3)
    img[300:364, 260:324] = ((h * np.uint64(2654435761) + np.uint64(12345)) >> np.uint64(13)) % np.uint64(256)
    return np.round(img).clip(0, 255).astype(np.uint8)


def main() -> None:
    args = fixture_arguments(__doc__)
    _prepare(args.ml4m, _OPTIONAL_VQ)
    import fourm.data.modality_transforms as mt  # noqa: E402

    args.out.mkdir(parents=True, exist_ok=True)
    src = Image.fromarray(picture())
    src.save(args.out / "input.png")
    mode = mt.get_pil_resample_mode(None)  # what the SR data loader passes: None, PIL's default
    ref = {"input": "input.png", "resampleMode": repr(mode), "outputs": []}
    for side in (224, 160):
        out = src.resize((side, side), resample=mode)  # the call image_crop_and_resize makes after its crop
        name = f"resized-{side}.png"
        out.save(args.out / name)
        bicubic = src.resize((side, side), resample=Image.Resampling.BICUBIC)
        assert np.array_equal(np.asarray(out), np.asarray(bicubic)), "PIL's default is not bicubic here"
        ref["outputs"].append({"file": name, "size": side, "sha256": hashlib.sha256(np.asarray(out).tobytes()).hexdigest()})
    a = np.asarray(src).astype(np.float64)
    box = np.round(a.reshape(224, 2, 224, 2, 3).mean((1, 3)))
    official = np.asarray(Image.open(args.out / "resized-224.png")).astype(np.float64)
    ref["boxVsOfficial224"] = {"maxAbs": float(np.abs(box - official).max()), "shareDiffering": float((box != official).mean())}
    (args.out / "reference.json").write_text(json.dumps(ref, indent=1))
    print(ref)


if __name__ == "__main__":
    main()
