"""Build the shipped model package models/zoo/<id>/: ONNX graphs, embeddings, text tokenizer, manifest.

Usage: python -m fourm_recipe.export.package [--id world-4m-small] [--untrained] [--out DIR] [--weights FILE] [--int8]
The PyTorch weights are first rounded to float16 (the shipped precision) so that the parity numbers
compare the same model on both sides. Without --out the package goes to models/zoo/<id>/ and the
engine's golden fixtures to test/fixtures/model/<id>/; with --out (a scratch export, e.g. to try new
graphs) only the package is written, so the committed fixtures keep matching the shipped weights.
--int8 (with --out only) then quantises the FM graphs' MatMul weights to int8 (export/quantize.py);
measured in session 14 and not adopted for the shipped package (models/recipe/README.md).
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from safetensors.torch import load_file, save_file

from ..fm.model import FMConfig, FourM
from ..fm.spec import IMAGE_MODALITIES, IMAGE_SIZE, fm_modalities
from ..fm.tokenizer_io import load_tokenizer
from ..text.vocab import COORD_BINS
from ..tokenizers.train import RUNS
from ..world.scene import CLASS_COLORS, CLASSES
from ..fm.run_info import training_compute
from .file_hash import sha256
from .cached_decoder import FMDecoderContextKV, FMDecoderStep, causal_step_mask, kv_names
from .graphs import PIXEL_IO, FMDecoder, FMEncoder, Head, TokenizerDecoder, TokenizerEncoder
from .onnx_fp16 import share_initializers, shrink_initializers
from .parity_fixture import write_parity_fixture, write_scene_fixtures

# What the editor calls each modality (manifest "displayName"), by domain; ids like tok_rgb@128 never reach the artist.
DISPLAY_NAMES = {"rgb": "RGB", "depth": "Depth", "normal": "Surface normals", "edge": "Edges", "semseg": "Segmentation",
                 "det": "Bounding boxes", "caption": "Caption", "color_palette": "Colour palette"}

REPO = Path(__file__).resolve().parents[4]
FM_WEIGHTS = RUNS / "fm" / "weights.safetensors"
OPSET = 18
# External data of the three decoder graphs (full, incremental step, context K/V): same weights, stored once.
DECODER_WEIGHTS = "decoder_weights.bin"


def file_stem(name: str) -> str:
    return name.replace("@", "_")


def load_fm(untrained: bool, weights: Path = FM_WEIGHTS) -> FourM:
    cfg = json.loads((RUNS / "fm" / "config.json").read_text())
    net = FourM(FMConfig(**cfg))
    if not untrained:
        sd = load_file(str(weights))
        net.load_state_dict({k: v.float() for k, v in sd.items()})
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(p.half().float())
    return net.eval()


def export(module, args, path: Path, inputs, outputs, dynamic) -> None:
    torch.onnx.export(module, args, str(path), input_names=inputs, output_names=outputs,
                      dynamic_axes=dynamic, opset_version=OPSET, dynamo=False)
    shrink_initializers(str(path))


def max_diff(path: Path, feeds: dict, expected: torch.Tensor) -> float:
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = sess.run(None, {k: v.numpy() for k, v in feeds.items()})[0]
    return abs_diff(got, expected)


def max_diff_outputs(path: Path, feeds: dict, expected: tuple) -> float:
    """max_diff over every output of a graph (in output order)."""
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = sess.run(None, {k: v.numpy() for k, v in feeds.items()})
    return max(abs_diff(a, e) for a, e in zip(got, expected, strict=True))


def abs_diff(got: np.ndarray, expected: torch.Tensor) -> float:
    return float(np.abs(got.astype(np.float64) - expected.detach().numpy().astype(np.float64)).max())


def export_cached_decoder(net: FourM, out: Path, ctx: torch.Tensor, pad: torch.Tensor, parity: dict) -> dict:
    """The incremental decoder (cached_decoder.py), its weights shared with fm/decoder.onnx in one
    external-data file, and its parity: each graph against PyTorch, and token-by-token decoding through
    ONNX Runtime against the full decoder (PyTorch, and fm/decoder.onnx) run once with a causal mask."""
    d, depth, heads = net.cfg.dim, net.cfg.decoder_depth, net.cfg.num_heads
    hd = d // heads
    ckv, step = FMDecoderContextKV(net), FMDecoderStep(net)
    g = torch.Generator().manual_seed(2)
    b, m_total = ctx.shape[0], 6
    y = torch.randn(b, m_total, d, generator=g)
    past = tuple(torch.randn(b, heads, 3, hd, generator=g) for _ in range(2 * depth))
    sa = causal_step_mask(b, 3, 2)
    past_names, cross_names, present_names = kv_names("past", depth), kv_names("cross", depth), kv_names("present", depth)
    with torch.no_grad():
        cross = ckv(ctx)
        step_out = step(y[:, :2], pad, sa, *past, *cross)
        full = net.decode(y, ctx, pad, causal_step_mask(b, 0, m_total))
    export(ckv, (ctx,), out / "fm/decoder_context_kv.onnx", ["context"], cross_names,
           {"context": {0: "B", 1: "N"}, **{k: {0: "B", 2: "N"} for k in cross_names}})
    export(step, (y[:, :2], pad, sa, *past, *cross), out / "fm/decoder_step.onnx",
           ["y", "enc_pad", "sa_mask", *past_names, *cross_names], ["hidden", *present_names],
           {"y": {0: "B", 1: "M"}, "enc_pad": {0: "B", 1: "N"}, "sa_mask": {0: "B", 1: "M", 2: "S"}, "hidden": {0: "B", 1: "M"},
            **{k: {0: "B", 2: "T"} for k in past_names}, **{k: {0: "B", 2: "N"} for k in cross_names},
            **{k: {0: "B", 2: "S"} for k in present_names}})
    share_initializers([str(out / f"fm/{n}.onnx") for n in ("decoder", "decoder_step", "decoder_context_kv")], DECODER_WEIGHTS)
    parity["fm/decoder_context_kv.onnx"] = max_diff_outputs(out / "fm/decoder_context_kv.onnx", {"context": ctx}, cross)
    feeds = {"y": y[:, :2], "enc_pad": pad, "sa_mask": sa, **dict(zip(past_names, past)), **dict(zip(cross_names, cross))}
    parity["fm/decoder_step.onnx"] = max_diff_outputs(out / "fm/decoder_step.onnx", feeds, step_out)
    # 2 rows with an empty past, then one row at a time, as the engine decodes.
    cpu = ["CPUExecutionProvider"]
    cross_np = ort.InferenceSession(str(out / "fm/decoder_context_kv.onnx"), providers=cpu).run(None, {"context": ctx.numpy()})
    full_onnx = ort.InferenceSession(str(out / "fm/decoder.onnx"), providers=cpu).run(
        None, {"y": y.numpy(), "context": ctx.numpy(), "enc_pad": pad.numpy(), "sa_mask": causal_step_mask(b, 0, m_total).numpy()})[0]
    sess = ort.InferenceSession(str(out / "fm/decoder_step.onnx"), providers=cpu)
    kv = [np.zeros((b, heads, 0, hd), dtype=np.float32)] * (2 * depth)
    worst, worst_onnx, t = 0.0, 0.0, 0
    for m in (2, 1, 1, 1, 1):
        hid, *kv = sess.run(None, {"y": y[:, t:t + m].numpy(), "enc_pad": pad.numpy(), "sa_mask": causal_step_mask(b, t, m).numpy(),
                                   **dict(zip(past_names, kv)), **dict(zip(cross_names, cross_np))})
        worst = max(worst, abs_diff(hid, full[:, t:t + m]))
        worst_onnx = max(worst_onnx, abs_diff(hid, torch.from_numpy(full_onnx[:, t:t + m])))
        t += m
    parity["fm/decoder_step.onnx step by step vs full decoder (PyTorch)"] = worst
    parity["fm/decoder_step.onnx step by step vs fm/decoder.onnx"] = worst_onnx
    return {"contextKv": "fm/decoder_context_kv.onnx", "step": "fm/decoder_step.onnx"}


def export_fm(net: FourM, out: Path, parity: dict) -> dict:
    (out / "fm").mkdir(parents=True, exist_ok=True)
    d = net.cfg.dim
    g = torch.Generator().manual_seed(0)
    x, emb = torch.randn(2, 7, d, generator=g), torch.randn(2, 7, d, generator=g)
    pad = torch.zeros(2, 7, dtype=torch.bool)
    pad[1, 5:] = True
    enc = FMEncoder(net)
    export(enc, (x, emb, pad), out / "fm/encoder.onnx", ["x", "emb", "pad"], ["context"],
           {"x": {0: "B", 1: "N"}, "emb": {0: "B", 1: "N"}, "pad": {0: "B", 1: "N"}, "context": {0: "B", 1: "N"}})
    with torch.no_grad():
        ctx = enc(x, emb, pad)
    parity["fm/encoder.onnx"] = max_diff(out / "fm/encoder.onnx", {"x": x, "emb": emb, "pad": pad}, ctx)
    y = torch.randn(2, 5, d, generator=g)
    sa = torch.zeros(2, 5, 5, dtype=torch.bool)
    sa[:, 0, 1:] = True
    dec = FMDecoder(net)
    export(dec, (y, ctx, pad, sa), out / "fm/decoder.onnx", ["y", "context", "enc_pad", "sa_mask"], ["hidden"],
           {"y": {0: "B", 1: "M"}, "context": {0: "B", 1: "N"}, "enc_pad": {0: "B", 1: "N"},
            "sa_mask": {0: "B", 1: "M", 2: "M"}, "hidden": {0: "B", 1: "M"}})
    with torch.no_grad():
        hid = dec(y, ctx, pad, sa)
    heads = {}
    for name in net.names:
        rel = f"fm/head_{file_stem(name)}.onnx"
        head = Head(net.decoder_embeddings[name].to_logits)
        export(head, (hid,), out / rel, ["hidden"], ["logits"], {"hidden": {0: "B", 1: "M"}, "logits": {0: "B", 1: "M"}})
        with torch.no_grad():
            parity[rel] = max_diff(out / rel, {"hidden": hid}, head(hid))
        heads[name] = rel
    cached = export_cached_decoder(net, out, ctx, pad, parity)
    # Measured after the decoder's weights moved to the shared file.
    parity["fm/decoder.onnx"] = max_diff(out / "fm/decoder.onnx", {"y": y, "context": ctx, "enc_pad": pad, "sa_mask": sa}, hid)
    # Embedding tables under their official state-dict names; TypeScript gathers rows from them.
    sd = net.state_dict()
    keep = {k: v.half().contiguous().clone() for k, v in sd.items()
            if k == "mask_token" or k.startswith("encoder_embeddings.")
            or (k.startswith("decoder_embeddings.") and (k.endswith("pos_emb") or k.endswith("mod_emb")
                or (k.endswith("token_emb.weight") and net.cfg.modalities[k.split(".")[1]]["type"] == "seq")))}
    save_file(keep, str(out / "fm/embeddings.safetensors"), metadata={"dtype_note": "float16 storage; compute in float32"})
    return {"encoder": "fm/encoder.onnx", "decoder": "fm/decoder.onnx", "heads": heads, "embeddings": "fm/embeddings.safetensors",
            "decoderCache": cached}


def export_tokenizers(out: Path, parity: dict, allow_untrained: bool) -> dict:
    (out / "tokenizers").mkdir(parents=True, exist_ok=True)
    info = {}
    for name, m in IMAGE_MODALITIES.items():
        net = load_tokenizer(m, allow_untrained=allow_untrained)
        with torch.no_grad():
            for p in net.parameters():
                p.copy_(p.half().float())
        enc, dec = TokenizerEncoder(net, m).eval(), TokenizerDecoder(net, m).eval()
        g = torch.Generator().manual_seed(1)
        if m == "semseg":
            pix = torch.randint(0, len(CLASSES), (2, IMAGE_SIZE, IMAGE_SIZE), generator=g)
        elif m == "depth":
            pix = torch.rand(2, 1, IMAGE_SIZE, IMAGE_SIZE, generator=g) * 20 + 1
        else:
            pix = torch.rand(2, net.cfg.in_channels, IMAGE_SIZE, IMAGE_SIZE, generator=g) * 255
        e_rel, d_rel = f"tokenizers/{m}_encoder.onnx", f"tokenizers/{m}_decoder.onnx"
        export(enc, (pix,), out / e_rel, ["pixels"], ["ids"], {"pixels": {0: "B"}, "ids": {0: "B"}})
        with torch.no_grad():
            ids = enc(pix)
            outp = dec(ids)
        parity[e_rel] = max_diff(out / e_rel, {"pixels": pix}, ids.float())
        export(dec, (ids,), out / d_rel, ["ids"], ["pixels"], {"ids": {0: "B"}, "pixels": {0: "B"}})
        parity[d_rel] = max_diff(out / d_rel, {"ids": ids}, outp)
        # The engine's expected-code token choice reads the FSQ lattice from here.
        info[name] = {"encoder": e_rel, "decoder": d_rel, **PIXEL_IO[m], "fsqLevels": list(net.quantizer.levels)}
    return info


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--id", default="world-4m-small")
    ap.add_argument("--untrained", action="store_true")
    ap.add_argument("--out", type=Path, help="package directory (default models/zoo/<id>); skips the test fixtures")
    ap.add_argument("--weights", type=Path, default=FM_WEIGHTS, help="FM weights (default runs/fm/weights.safetensors)")
    ap.add_argument("--int8", action="store_true", help="with --out: int8 MatMul weights in the FM graphs (export/quantize.py)")
    args = ap.parse_args()
    if args.int8 and args.out is None:
        ap.error("--int8 needs --out: the shipped package and its fixtures stay float (session 14, README)")
    torch.set_num_threads(2)
    out = args.out.resolve() if args.out else REPO / "models" / "zoo" / args.id
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    parity: dict[str, float] = {}
    net = load_fm(args.untrained, args.weights)
    fm = export_fm(net, out, parity)
    toks = export_tokenizers(out, parity, args.untrained)
    (out / "text").mkdir()
    shutil.copy(RUNS / "text" / "text_tokenizer.json", out / "text/text_tokenizer.json")
    eos = json.loads((RUNS / "text" / "text_tokenizer.json").read_text())["model"]["vocab"]["[EOS]"]
    if args.out is None:
        write_parity_fixture(net, eos, REPO / "test" / "fixtures" / "model" / args.id / "parity.json")
        write_scene_fixtures(REPO / "test" / "fixtures" / "model" / args.id / "scenes")
    step = 0 if args.untrained else int(__import__("safetensors").safe_open(str(args.weights), "pt").metadata()["step"])
    modalities = []
    for name in net.names:
        spec = net.cfg.modalities[name]
        if spec["type"] == "img":
            modalities.append({"name": name, "displayName": DISPLAY_NAMES[spec["tokenizer"]], "type": "img", "domain": spec["tokenizer"],
                               "vocabSize": spec["vocab"], "grid": [spec["grid"], spec["grid"]], "tokenizer": toks[name]})
        else:
            modalities.append({"name": name, "displayName": DISPLAY_NAMES[name], "type": "seq", "domain": name, "vocabSize": spec["vocab"],
                               "maxLength": spec["max_len"]})
    # No "license" field: the model is the project's own (this recipe, the project's synthetic
    # world) and ships under the app's terms, which the Models dialog says of a bundled model
    # without one (renderer/src/models/modelRows.ts); the project names no separate licence.
    manifest = {
        "format": "4m-studio.model/1",
        "id": args.id,
        "displayName": "World 4M small",
        "description": "A small 4M (d256, 6 encoder + 4 decoder layers) trained on the project's synthetic world of primitive objects.",
        "imageSize": IMAGE_SIZE,
        "trainingSteps": step,
        "training": {"summary": training_compute() if not args.untrained else "untrained"},
        "fm": {"dim": net.cfg.dim, "encoderDepth": net.cfg.encoder_depth, "decoderDepth": net.cfg.decoder_depth,
               "numHeads": net.cfg.num_heads,
               # The fine-tunes start from the float16 weights file, so the model learnt (and the parity
               # fixture uses) float16-rounded sin-cos tables: the engine must keep them as stored.
               "positionTables": "stored", **fm},
        "modalities": modalities,
        "text": {"tokenizer": "text/text_tokenizer.json", "coordBins": COORD_BINS},
        "classes": [{"id": i, "name": n, "color": list(c)} for i, (n, c) in enumerate(zip(CLASSES, CLASS_COLORS))],
        "parity": {"maxAbsDiff": parity, "note": "ONNX Runtime CPU vs PyTorch on fixed inputs, float16-rounded weights"},
    }
    files = sorted(p for p in out.rglob("*") if p.is_file())
    manifest["files"] = {str(p.relative_to(out)): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    total = sum(v["bytes"] for v in manifest["files"].values())
    if args.int8:
        from .quantize import quantize_package
        print(f"FM graphs: {quantize_package(out)} (parity above is of the float graphs)")
        total = sum(v["bytes"] for v in json.loads((out / "manifest.json").read_text())["files"].values())
    print(json.dumps(parity, indent=1))
    print(f"package {out}: {len(files)} files, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
