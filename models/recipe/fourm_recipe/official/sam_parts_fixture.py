"""The official SAM-instance condition path on paintings whose objects have holes or several parts
(issue #14): reference outputs for the engine's readSamPainting + encodeSamInstances.

Run from models/recipe after sam_instance_fixture (it reuses that fixture's tokenizer: the same
official VQVAE and hash fills, checked by the file's SHA-256), with a checkout of
github.com/apple/ml-4m (ML4M_DIR) and opencv:

    python -m fourm_recipe.official.sam_parts_fixture --out ../../test/fixtures/official-vqvae-sam

Writes encode-parts.json beside the other fixture files. What it does:
1. Paints a 224 x 224 picture of objects, one flat colour each (later ones over earlier ones): a
   ring with a disc in its hole, a square with a square hole, two separate blobs of one colour, a
   colour with a big part and a 2 x 2 speck, a rectangle with one-pixel spurs, a one-pixel diagonal
   line, a two-pixel bar, a one-pixel frame whose hole is closed only diagonally, a C shape (a
   concavity, no hole), a band across the whole bottom edge and a shape in the top-right corner.
2. Turns every colour into the polygons the official data pipeline starts from: the outer contour
   of each 8-connected part (cv2.findContours, RETR_EXTERNAL), so a hole is inside its polygon. The
   official code holds one polygon per instance everywhere (SAMInstanceTransform.get_bbox and
   get_binary_masks read one array, drawContours draws contour 0; SAMInstanceTokTransform tests
   query points against coords[0]), so each part is an instance of its own, ordered by colour (first
   appearance, row-major) then by the part's first pixel. The official remove_tiny_instances drops
   parts whose box is under bbox_area_threshold of the picture (the speck).
3. Runs the official SAMInstanceTransform.get_binary_masks (boxes, 64 x 64 crops), VQVAE.tokenize
   and SAMInstanceTokTransform (text around committed query points, shuffles off), and
   cv2.pointPolygonTest at every pixel of every instance's box (which pixels a query point there
   would name the instance at: the instance as the model's text sees it).
4. Evidence for the one-polygon reading: an instance given the official way with two polygons (the
   two blobs) through SAMInstanceTokTransform.get_target_tokens: a point in the second polygon does
   not name it.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from .official_import import fixture_arguments, import_official_vq
from .sam_instance_fixture import CONFIG_SAM, run_lengths
from .vq_fixture import build_model, save_checkpoint

S = 224


def painting() -> tuple[np.ndarray, list[str]]:
    """Colour index per pixel (0: background, k: the k-th colour drawn) and what each colour is."""
    import cv2

    idx = np.zeros((S, S), np.uint8)
    names: list[str] = []

    def paint(name: str, draw) -> None:
        m = np.zeros((S, S), np.uint8)
        draw(m)
        names.append(name)
        idx[m > 0] = len(names)

    paint("ring", lambda m: cv2.circle(m, (55, 55), 38, 1, thickness=14))
    paint("disc in the ring's hole", lambda m: cv2.circle(m, (55, 55), 16, 1, thickness=-1))

    def square_with_hole(m):
        m[12:83, 110:181] = 1
        m[32:63, 130:161] = 0
    paint("square with a square hole", square_with_hole)

    def two_blobs(m):
        cv2.ellipse(m, (30, 150), (18, 12), 0, 0, 360, 1, thickness=-1)
        m[135:161, 70:96] = 1
    paint("two separate blobs", two_blobs)

    def big_and_speck(m):
        m[100:121, 60:96] = 1
        m[128:130, 100:102] = 1
    paint("a part and a 2x2 speck", big_and_speck)

    def spurs(m):
        m[100:121, 110:141] = 1
        cv2.line(m, (140, 110), (165, 110), 1, 1)
        cv2.line(m, (110, 120), (98, 135), 1, 1)
    paint("rectangle with one-pixel spurs", spurs)

    paint("one-pixel diagonal line", lambda m: cv2.line(m, (150, 140), (200, 171), 1, 1))

    def bar(m):
        m[95:160, 205:207] = 1
    paint("two-pixel bar", bar)

    def frame(m):
        cv2.rectangle(m, (20, 175), (60, 205), 1, 1)
        m[175, 20] = 0  # the corner: top and left sides now touch only diagonally
    paint("one-pixel frame, hole closed diagonally", frame)

    paint("C shape", lambda m: cv2.ellipse(m, (105, 185), (18, 18), 0, 45, 315, 1, thickness=6))

    def band(m):
        m[214:224, :] = 1
    paint("band across the bottom edge", band)

    paint("top-right corner", lambda m: cv2.fillPoly(m, [np.array([(190, 0), (223, 0), (223, 40), (205, 18)], np.int32)], 1))
    return idx, names


def first_pixel(points: np.ndarray) -> tuple[int, int]:
    """Row-major first pixel of a part: the topmost, then leftmost, point of its outer contour."""
    p = points.reshape(-1, 2)
    k = np.lexsort((p[:, 0], p[:, 1]))[0]
    return int(p[k, 1]), int(p[k, 0])


def main() -> None:
    import cv2

    args = fixture_arguments(__doc__)
    vqvae, vit_models = import_official_vq(args.ml4m)
    import fourm.data.modality_transforms as mt  # noqa: E402 - imported after import_official_vq set the path

    model, _ = build_model(vqvae, vit_models, CONFIG_SAM)
    expected = json.loads((args.out / "checkpoint.json").read_text())["sha256"]
    with tempfile.TemporaryDirectory() as tmp:
        sha = hashlib.sha256(save_checkpoint(model, Path(tmp) / "sam", CONFIG_SAM).read_bytes()).hexdigest()
    assert sha == expected, f"not the tokenizer of {args.out}/checkpoint.json ({sha[:16]}… vs {expected[:16]}…)"

    idx, names = painting()
    flat = idx.reshape(-1)
    order = [int(c) for c in dict.fromkeys(flat[flat > 0].tolist())]  # colours by first appearance
    colours = [(37 * c % 256, 91 * c % 256, 150 + 8 * c) for c in range(1, len(names) + 1)]
    transform = mt.SAMInstanceTransform(mask_size=64, max_instance_n=None)
    instances, dropped = [], []
    for c in order:
        found, _ = cv2.findContours((idx == c).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        for contour in sorted(found, key=first_pixel):
            kept = transform.remove_tiny_instances([contour.astype(np.int32)], (S, S))
            (instances if kept else dropped).append({"colour": c, "contour": contour.astype(np.int32)})
    contours = [i["contour"] for i in instances]
    crops, bboxes, _ = transform.get_binary_masks(contours)
    with torch.no_grad():
        tokens = model.tokenize(torch.from_numpy(crops).to(torch.float32).unsqueeze(1)).reshape(len(contours), 16).numpy()

    # Query points (x, y): the ring's hole inside the disc and beside it, the square's hole, the
    # square blob, on the diagonal line, inside the frame, the C's concavity, the band, the corner.
    query = np.array([[55, 55], [55, 80], [145, 47], [82, 148], [150, 140], [40, 190], [105, 185], [100, 220], [222, 1], [5, 5]])
    tok = mt.SAMInstanceTokTransform(image_size=S, points_per_side=7, point_order="random")
    sample = {"points": [[c] for c in contours], "token_ids": tokens.astype(np.int32), "bbox": bboxes}
    shuffle = mt.random.shuffle
    mt.random.shuffle = lambda _x: None  # keep the given order: the comparison is of one text
    try:
        text = tok.convert_target_tokens_to_string(tok.get_target_tokens(sample, query))
        # Step 4: the two blobs as one instance of two polygons, the official way (coords[0] is read).
        blobs = [i["contour"] for i in instances if names[i["colour"] - 1] == "two separate blobs"]
        two = {"points": [[blobs[0], blobs[1]]], "token_ids": tokens[:1].astype(np.int32), "bbox": bboxes[:1]}
        in_first = tuple(int(v) for v in blobs[0].reshape(-1, 2).mean(axis=0))
        in_second = tuple(int(v) for v in blobs[1].reshape(-1, 2).mean(axis=0))
        named = tok.get_target_tokens(two, np.array([in_first, in_second]))
    finally:
        mt.random.shuffle = shuffle

    inside = []
    for contour, (ymin, xmin, ymax, xmax) in zip(contours, bboxes.astype(int)):
        m = np.zeros((S, S), np.uint8)
        for y in range(ymin, ymax + 1):
            for x in range(xmin, xmax + 1):
                m[y, x] = cv2.pointPolygonTest(contour, (x, y), False) >= 0
        inside.append(run_lengths(m))

    ref = {
        "checkpointSha256": sha,
        "size": S,
        "colours": [{"name": names[c - 1], "rgb": list(colours[c - 1]), "mask": run_lengths(idx == c)} for c in order],
        "instances": [{"colour": order.index(i["colour"]), "inside": inside[k]} for k, i in enumerate(instances)],
        "dropped": [{"colour": order.index(d["colour"]), "box": list(cv2.boundingRect(d["contour"]))} for d in dropped],
        "boxes": [[int(b[1]), int(b[0]), int(b[3]), int(b[2])] for b in bboxes],  # xmin, ymin, xmax, ymax
        "crops": [run_lengths(c) for c in crops],
        "tokens": tokens.tolist(),
        "points": [{"x": int(x), "y": int(y)} for x, y in query],
        "text": text,
        "twoPolygonInstance": {"pointInFirst": list(in_first), "namedAtFirst": len(named[in_first]),
                               "pointInSecond": list(in_second), "namedAtSecond": len(named[in_second])},
    }
    (args.out / "encode-parts.json").write_text(json.dumps(ref))
    print(f"{len(order)} colours -> {len(instances)} instances ({len(dropped)} part(s) dropped as tiny); "
          f"two-polygon instance named at its first polygon: {len(named[in_first])}, at its second: "
          f"{len(named[in_second])}", file=sys.stderr)


if __name__ == "__main__":
    main()
