"""Official-format SAM-instance tokenizer (the layout of `4M_tokenizers_sam-instance_1k_64`) with
deterministic weights, and the official outputs for the parity tests.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m) and
opencv (the official `decode_sam_instances` resizes masks with cv2):

    python -m fourm_recipe.official.sam_instance_fixture --out ../../test/fixtures/official-vqvae-sam

What it does:
1. Builds the official `VQVAE` as the SAM-instance tokenizer is built (a 64 x 64 one-channel mask,
   patch 16 -> 4 x 4 tokens, 1,024 codes, `out_conv=True`: two ConvNeXt blocks after the ViT
   decoder), the ViT shrunk to width 128, depth 2, 2 heads, and the latent to 32 (vq_fixture's
   presets and hash fills). Saves it as the released tokenizers are saved; records the header and
   the file's SHA-256 (checkpoint.json, buffers.bin) so the test rebuilds the identical file.
2. `decode_tokens` of three committed 4 x 4 grids: every 64 x 64 logit (decoded-logits.bin, float32).
3. The official `decode_sam_instances` of a committed sam_instance sequence (reference.json), its
   224 x 224 RGB rendering turned back into instance numbers by the official palette
   (decoded-instances.bin, uint8: 0 = none, k = the k-th palette colour).
4. The condition direction (reference.json "encode"): nine instance masks drawn on the 224 x 224
   picture (ellipses and polygons, convex and concave, overlapping, one on the picture's edge, from
   14 to 200 px wide), each turned into the one polygon the data pipeline starts from
   (cv2.findContours, outer contour), then the official
   `SAMInstanceTransform.get_binary_masks` (box and 64 x 64 crop), `VQVAE.tokenize` (16 ids each) and
   `SAMInstanceTokTransform` (the text, around committed query points; its shuffles turned off so the
   order is the given one). Masks and crops are stored as row-major run lengths.
"""
from __future__ import annotations

import json
import sys

import numpy as np
import torch

from .fm_fixture import write_checkpoint_json
from .official_import import fixture_arguments, import_official_vq, keep_argument
from .vq_fixture import CONFIG, build_model, save_checkpoint

CONFIG_SAM = {
    **{k: v for k, v in CONFIG.items() if k not in ("n_labels", "domain")},
    "image_size": 64, "n_channels": 1, "n_labels": None, "patch_proj": True, "post_mlp": True,
    "out_conv": True, "codebook_size": 1024, "latent_dim": 32, "domain": "sam_mask",
}
GRIDS = 3


def sample_sequence(g: np.random.Generator, decoder) -> str:
    """A sam_instance text in the data pipeline's format: seven query points, some `none`, some with
    instances (boxes in pixels, 16 mask tokens as v0=id / v1=id-512). Token grids are drawn until
    the decoded mask passes the official contrast filter, so the rendering is not empty; one
    instance is repeated with a near box (the random decoder's soft masks are not confident enough
    for the Dice test to merge it, so it is painted twice) and a few malformed groups are added
    (dropped by the decoder)."""
    def words_of(ids):
        return [f"v0={i}" if i < 512 else f"v1={i - 512}" for i in ids]

    def good_ids():
        while True:
            ids = g.integers(0, 1024, 16)
            with torch.no_grad():
                m = torch.sigmoid(decoder(torch.from_numpy(ids).reshape(1, 4, 4)))[0, 0].numpy()
            if m.max() - m.min() >= 0.9:
                return ids

    out: list[str] = []
    used_areas: set[int] = set()
    kept = []
    for q in range(7):
        y, x = (int(v) for v in g.integers(0, 224, 2))
        out += ["point", f"v0={y}", f"v1={x}"]
        if q in (2, 5):
            out.append("none")
            continue
        for _ in range(1 + int(g.integers(0, 2))):
            while True:  # distinct areas: the official sort is not stable for ties
                x0, y0 = (int(v) for v in g.integers(0, 170, 2))
                w, h = (int(v) for v in g.integers(12, 224 - max(x0, y0), 2))
                if w * h not in used_areas:
                    used_areas.add(w * h)
                    break
            ids = good_ids()
            kept.append((x0, y0, x0 + w, y0 + h, ids))
            out += ["polygon", f"v0={x0}", f"v1={y0}", f"v2={x0 + w}", f"v3={y0 + h}", *words_of(ids)]
    # a repeat of the largest instance, the box shifted by one pixel
    x0, y0, x1, y1, ids = max(kept, key=lambda k: (k[2] - k[0]) * (k[3] - k[1]))
    out += ["point", "v0=10", "v1=10", "polygon", f"v0={x0 + 1}", f"v1={y0}", f"v2={x1 + 1}", f"v3={y1}", *words_of(ids)]
    # malformed: a short polygon, an empty box, a token word without a number
    out += ["polygon", "v0=5", "v1=5", "v2=40", "v3=40", *words_of(ids[:10])]
    out += ["polygon", "v0=50", "v1=50", "v2=50", "v3=90", *words_of(ids)]
    out += ["polygon", "v0=60", "v1=60", "v2=90", "v3=90", *words_of(ids[:15]), "v0=x"]
    return " ".join(out)


def official_render(text: str, model, ml4m: str | None) -> np.ndarray:
    """The official decode_sam_instances on `text` (decode_text stubbed to hand back the text)."""
    import fourm.utils.plotting_utils as pu  # noqa: E402 - imported after import_official_vq set the path

    pu.device = "cpu"
    pu.decode_text = lambda mod_dict, key, tok: (None, None, text)
    return pu.decode_sam_instances({}, {"sam_instance": model}, None)


def instance_numbers(rgb: np.ndarray) -> np.ndarray:
    """The official rendering's colours back to palette positions + 1 (0: background)."""
    rng = np.random.default_rng(seed=0)
    palette = [rng.integers(0, 255, size=3) for _ in range(1000)]
    idx = np.zeros(rgb.shape[:2], np.uint8)
    painted = rgb.reshape(-1, 3).any(axis=1).reshape(rgb.shape[:2])
    for k, c in enumerate(palette[:255]):
        idx[(rgb == c).all(axis=2)] = k + 1
    assert (idx > 0).sum() == painted.sum(), "a painted colour outside the palette"
    return idx


def run_lengths(mask: np.ndarray) -> list[int]:
    """Row-major run lengths starting with a run of 0s (the CLI's JSON format)."""
    flat = (mask.reshape(-1) > 0).astype(np.int8)
    counts, current, run = [], 0, 0
    for v in flat:
        if v != current:
            counts.append(run)
            current, run = v, 0
        run += 1
    counts.append(run)
    return counts


def encode_reference(model) -> dict:
    """Instance masks -> the official boxes, crops, tokens and sam_instance text (step 4)."""
    import cv2
    import fourm.data.modality_transforms as mt  # noqa: E402 - imported after import_official_vq set the path

    S = 224
    shapes = []
    def ellipse(c, axes, angle):
        m = np.zeros((S, S), np.uint8)
        cv2.ellipse(m, c, axes, angle, 0, 360, 1, thickness=-1)
        return m
    def poly(points):
        m = np.zeros((S, S), np.uint8)
        cv2.fillPoly(m, [np.array(points, np.int32)], 1)
        return m
    shapes.append(ellipse((70, 80), (50, 30), 20))            # medium, downscaled on x, upscaled on y
    shapes.append(poly([(10, 10), (210, 20), (200, 170), (30, 150)]))  # large: downscaled both ways
    shapes.append(ellipse((150, 60), (7, 12), 0))             # small: upscaled
    shapes.append(poly([(120, 120), (190, 200), (100, 210)]))  # a triangle
    shapes.append(ellipse((60, 180), (30, 25), 0))            # overlaps the large quadrilateral
    shapes.append(poly([(160, 100), (205, 104), (201, 112), (158, 110)]))  # thin, slanted
    star = [(int(112 + r * np.cos(a)), int(60 + r * np.sin(a))) for k, a in enumerate(np.linspace(0, 2 * np.pi, 14, endpoint=False))
            for r in [38 if k % 2 == 0 else 15]]
    shapes.append(poly(star))                                 # concave, many slopes
    shapes.append(poly([(0, 190), (45, 200), (30, 223), (0, 223)]))  # touches the picture's edges
    shapes.append(poly([(175, 20), (215, 75), (211, 78), (172, 24)]))  # long and thin, steep
    contours = []
    for m in shapes:
        found, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        contours.append(max(found, key=cv2.contourArea).astype(np.int32))
    crops, bboxes, _ = mt.SAMInstanceTransform(mask_size=64, max_instance_n=None).get_binary_masks(contours)
    with torch.no_grad():
        tokens = model.tokenize(torch.from_numpy(crops).to(torch.float32).unsqueeze(1)).reshape(len(shapes), 16).numpy()
    # Query points (x, y): inside one instance each, some inside two, one inside none.
    query = np.array([[70, 80], [40, 40], [150, 60], [150, 185], [60, 180], [182, 106], [215, 215], [112, 60], [10, 215], [193, 49]])
    tok_transform = mt.SAMInstanceTokTransform(image_size=S, points_per_side=7, point_order="random")
    sample = {"points": [[c] for c in contours], "token_ids": tokens.astype(np.int32), "bbox": bboxes}
    shuffle = mt.random.shuffle
    mt.random.shuffle = lambda _x: None  # keep the given order: the comparison is of one text
    try:
        text = tok_transform.convert_target_tokens_to_string(tok_transform.get_target_tokens(sample, query))
    finally:
        mt.random.shuffle = shuffle
    return {
        "size": S,
        "masks": [run_lengths(m) for m in shapes],
        "boxes": [[int(b[1]), int(b[0]), int(b[3]), int(b[2])] for b in bboxes],  # xmin, ymin, xmax, ymax
        "crops": [run_lengths(c) for c in crops],
        "tokens": tokens.tolist(),
        "points": [{"x": int(x), "y": int(y)} for x, y in query],
        "text": text,
    }


def main() -> None:
    args = fixture_arguments(__doc__, keep_argument)
    vqvae, vit_models = import_official_vq(args.ml4m)
    args.out.mkdir(parents=True, exist_ok=True)
    model, fills = build_model(vqvae, vit_models, CONFIG_SAM)
    described = write_checkpoint_json(lambda folder: save_checkpoint(model, folder, CONFIG_SAM), model.state_dict(), fills.get,
                                      args.out, args.keep, "official-vqvae-sam")

    g = np.random.default_rng(21)
    with torch.no_grad():
        grids = g.integers(0, 1024, (GRIDS, 4, 4))
        logits = model.decode_tokens(torch.from_numpy(grids))
        assert tuple(logits.shape) == (GRIDS, 1, 64, 64), logits.shape
        (args.out / "decoded-logits.bin").write_bytes(logits.numpy().astype("<f4").tobytes())
        text = sample_sequence(g, model.decode_tokens)
        rgb = official_render(text, model, args.ml4m)
        encoded = encode_reference(model)
    idx = instance_numbers(rgb)
    (args.out / "decoded-instances.bin").write_bytes(idx.tobytes())
    ref = {
        "checkpointSha256": described["sha256"],
        "decode": {"grids": grids.reshape(GRIDS, 16).tolist(), "logitsFile": "decoded-logits.bin",
                   "maxAbsLogit": float(logits.abs().max())},
        "sequence": {"text": text, "instancesFile": "decoded-instances.bin", "size": 224,
                     "instances": int(idx.max()), "paintedPixels": int((idx > 0).sum())},
        "encode": encoded,
    }
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"checkpoint {described['bytes']} bytes, sha256 {described['sha256'][:16]}…; |logit| ≤ "
          f"{ref['decode']['maxAbsLogit']:.2f}; sequence → {ref['sequence']['instances']} instances, "
          f"{ref['sequence']['paintedPixels']} px", file=sys.stderr)


if __name__ == "__main__":
    main()
