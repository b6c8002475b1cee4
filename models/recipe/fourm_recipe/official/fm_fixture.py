"""Official-format FM checkpoint with deterministic weights, and the official forward's outputs.

Run from models/recipe with a checkout of github.com/apple/ml-4m (ML4M_DIR, default /tmp/ml-4m):

    python -m fourm_recipe.official.fm_fixture --out ../../test/fixtures/official-fm

What it does:
1. Builds the official `FM` (fourm/models/fm.py) from a 4M-21 config shrunk to dim 64, 2 + 2 layers,
   4 heads: all 19 input / 17 output modalities, with the official vocabularies and position tables.
2. Fills every parameter with a hash of (tensor name, index): int16 values scaled by a power of two,
   exact in float32 and cheap to rebuild in TypeScript. Buffers (sin-cos position tables, zero
   LayerNorm biases) keep the official code's own values and are stored, deduplicated, in
   `buffers.bin`.
3. Saves the checkpoint the way the official Hugging Face wrapper does (`config.json` +
   `model.safetensors`, shared `mod_emb` written once) into a temporary folder, and records its
   header verbatim and its SHA-256: the test rebuilds the identical file (about 150 MB, too big to
   commit) from `checkpoint.json` + `buffers.bin`. The order of the shared-tensor alias map in the
   header's `__metadata__` changes from run to run (safetensors groups shared tensors by memory
   address), so a regenerated fixture records another SHA-256 for the same tensors and outputs.
4. Runs the official code on it: the encoder context, image-target logits through
   `GenerationSampler.forward_enc_dec_roar_batched`, teacher-forced caption logits through the
   decoder exactly as the autoregressive step feeds it, and one greedy caption through
   `GenerationSampler.autoregressive_step_batched` (temperature 0). Writes `reference.json`.
"""
from __future__ import annotations

import hashlib
import json
import struct
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .official_import import fixture_arguments, import_official, keep_argument

MOD21_IN = ["caption", "t5_caption", "det", "metadata", "rgb@224", "tok_rgb@224", "tok_normal@224",
            "tok_depth@224", "tok_semseg@224", "tok_clip@224", "human_poses", "tok_dinov2@224",
            "tok_dinov2_global", "tok_imagebind@224", "tok_imagebind_global", "tok_sam_edge@224",
            "tok_canny_edge@224", "color_palette", "sam_instance"]
MOD21_OUT = [m for m in MOD21_IN if m not in ("rgb@224", "t5_caption")]

CONFIG = {
    "domains_in": MOD21_IN, "domains_out": MOD21_OUT,
    "dim": 64, "encoder_depth": 2, "decoder_depth": 2, "num_heads": 4, "mlp_ratio": 4.0,
    "qkv_bias": False, "proj_bias": False, "mlp_bias": False, "norm_bias": False, "act_layer": "SiLU",
    "gated_mlp": True, "qk_norm": False, "image_size": 224, "patch_size": 16,
    "decoder_causal_mask": False, "decoder_sep_mask": True, "num_register_tokens": 0,
    "use_act_checkpoint": False, "share_modality_embeddings": True,
}

# Text ids (official WordPiece layout): [PAD] 0, [EOS] 3, [S_1] 5, [S_2] 6.
EOS, S1 = 3, 5


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def hash_int16(seed: int, n: int) -> np.ndarray:
    """int16 values from a murmur3-style mix of (seed, index); the TypeScript twin is in the test."""
    with np.errstate(over="ignore"):
        i = np.arange(1, n + 1, dtype=np.uint32)
        x = np.uint32(seed) ^ (i * np.uint32(0x9E3779B1))
        x ^= x >> np.uint32(16)
        x *= np.uint32(0x85EBCA6B)
        x ^= x >> np.uint32(13)
        x *= np.uint32(0xC2B2AE35)
        x ^= x >> np.uint32(16)
    return (x & np.uint32(0xFFFF)).astype(np.uint16).view(np.int16)


def fill_rule(key: str, t: torch.Tensor) -> tuple[float, float]:
    """(base, scale): value = base + scale * int16 / 32768, all powers of two (exact in float32)."""
    if t.ndim == 1 and key.endswith(".weight"):
        return 1.0, 2.0 ** -3  # LayerNorm gains around 1
    if t.ndim == 2 and ".token_emb." not in key:
        return 0.0, 2.0 ** -2  # Linear weights
    return 0.0, 2.0 ** -1  # embeddings, mask token, learned position tables, biases


def fill_value(key: str, base: float, scale: float, shape) -> np.ndarray:
    n = int(np.prod(shape))
    v = base + hash_int16(fnv1a32(key), n).astype(np.float64) * (scale / 32768.0)
    return v.astype(np.float32).reshape(shape)


def build_model(fm_mod, config: dict = CONFIG):
    torch.manual_seed(0)
    model = fm_mod.FM(config=dict(config)).eval()
    params = {id(p) for p in model.parameters()}
    fills: dict[int, dict] = {}
    with torch.no_grad():
        for key, t in model.state_dict(keep_vars=True).items():
            if id(t) in params and id(t) not in fills:
                base, scale = fill_rule(key, t)
                t.copy_(torch.from_numpy(fill_value(key, base, scale, tuple(t.shape))))
                fills[id(t)] = {"seed": key, "base": base, "scale": scale}
    return model, fills


def save_checkpoint(model, folder: Path, config: dict = CONFIG) -> Path:
    """As the official HF wrapper saves: config.json + model.safetensors (shared tensors once)."""
    from safetensors.torch import save_model

    folder.mkdir(parents=True, exist_ok=True)
    try:
        model.save_pretrained(folder)  # PyTorchModelHubMixin
    except Exception as error:  # noqa: BLE001 - hub versions differ; the file format does not
        print(f"save_pretrained unavailable ({error}); writing the same two files directly")
        save_model(model, str(folder / "model.safetensors"))
        (folder / "config.json").write_text(json.dumps(config, indent=2))
    return folder / "model.safetensors"


def describe_file(sd: dict, fill_of: Callable[[str], dict | None], file: Path, out: Path) -> dict:
    """The saved file as the tests rebuild it: its header verbatim and SHA-256, per tensor either its
    hash fill (`fill_of(name)`) or an index into `buffers.bin`, which holds every other tensor's
    float32 bytes once. `sd` maps the header's tensor names to the tensors."""
    raw = file.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header_text = raw[8:8 + n].decode("utf-8")
    header = json.loads(header_text)
    blobs: list[bytes] = []
    blob_index: dict[bytes, int] = {}
    tensors: dict[str, dict] = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise SystemExit(f"{key}: {entry['dtype']}, expected F32")
        fill = fill_of(key)
        if fill is not None:
            tensors[key] = fill
            continue
        data = sd[key].detach().contiguous().numpy().astype("<f4").tobytes()
        if data not in blob_index:
            blob_index[data] = len(blobs)
            blobs.append(data)
        tensors[key] = {"buffer": blob_index[data]}
    offsets, pos = [], 0
    for b in blobs:
        offsets.append([pos, pos + len(b)])
        pos += len(b)
    (out / "buffers.bin").write_bytes(b"".join(blobs))
    return {
        "sha256": hashlib.sha256(raw).hexdigest(),
        "bytes": len(raw),
        "header": header_text,
        "config": json.loads((file.parent / "config.json").read_text()),
        "tensors": tensors,
        "buffers": offsets,
    }


def write_checkpoint_json(save: Callable[[Path], Path], sd: dict, fill_of: Callable[[str], dict | None],
                          out: Path, keep: Path | None, name: str) -> dict:
    """Saves the checkpoint with `save(folder)` into `keep` (--keep) or a temporary folder `name`,
    writes its description (`describe_file`) to out/checkpoint.json and returns it."""
    with tempfile.TemporaryDirectory() as tmp:
        file = save(keep or Path(tmp) / name)
        described = describe_file(sd, fill_of, file, out)
    (out / "checkpoint.json").write_text(json.dumps(described))
    return described


def encoder_context(model, sampler, d: dict) -> torch.Tensor:
    """The decoder's context as every official generation step computes it ([1, rows, dim]): the
    encoder over the entries of `d` it embeds (in `d`'s order), projected, plus their embeddings.
    The official embeddings write "x" and "emb" into the entries: pass copies of entries used again."""
    enc = {m: model.encoder_embeddings[m](v) for m, v in d.items() if m in model.encoder_embeddings}
    tokens, emb, mask, _ = sampler.forward_mask_encoder_generation(enc)
    return model.decoder_proj_context(model.forward_encoder(tokens + emb, mask)) + emb


def rounded(a: np.ndarray) -> list:
    return np.asarray(a, dtype=np.float64).round(7).tolist()


def logit_summary(logits: np.ndarray, stride: int) -> dict:
    """Per row: argmax, the gap to the runner-up, and every `stride`-th logit (columns 0, s, 2s, …)."""
    top2 = np.sort(logits, axis=1)[:, -2:]
    return {
        "argmax": logits.argmax(axis=1).tolist(),
        "gap": rounded(top2[:, 1] - top2[:, 0]),
        "stride": stride,
        "columns": rounded(logits[:, ::stride]),
        "rowMaxAbs": rounded(np.abs(logits).max(axis=1)),
    }


def reference_outputs(model, gen_mod, out: Path) -> dict:
    sampler = gen_mod.GenerationSampler(model)
    g = np.random.default_rng(14)

    def img(n: int, vocab: int, visible: list[int] | None = None) -> dict:
        mask = np.ones(n, bool)
        mask[visible if visible is not None else slice(None)] = False
        return {"tensor": g.integers(0, vocab, n).tolist(), "visible": np.flatnonzero(~mask).tolist()}

    def seq(words: int, length: int) -> dict:
        ids = g.integers(4284, 30000, words).tolist() + [EOS]
        return {"tensor": ids + [0] * (length - len(ids)), "visible": list(range(len(ids)))}

    inputs = {
        "caption": seq(9, 14),
        "det": seq(10, 12),
        "metadata": seq(4, 6),
        "tok_dinov2@224": img(256, 8192, sorted(g.choice(256, 20, replace=False).tolist())),
        "tok_dinov2_global": img(16, 8192),
        "tok_rgb@224": img(196, 16384, sorted(g.choice(196, 60, replace=False).tolist())),
    }
    order = sorted(inputs)  # the official FM lists modalities sorted; the engine too

    def mod_dict(names: list[str], target: str | None = None, target_entry: dict | None = None) -> dict:
        """The official mod_dict of the named inputs (sorted), the target entry last."""
        d = {}
        for name in sorted(names):
            spec = inputs[name]
            n = len(spec["tensor"])
            input_mask = torch.ones(1, n, dtype=torch.bool)
            input_mask[0, spec["visible"]] = False
            d[name] = {"tensor": torch.tensor([spec["tensor"]]), "input_mask": input_mask,
                       "target_mask": torch.ones(1, n, dtype=torch.bool),
                       "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)}
        if target is not None:
            d[target] = target_entry
        return d

    result: dict = {"inputs": {k: inputs[k] for k in order}, "order": order}
    with torch.no_grad():
        # Encoder context, as every generation step computes it.
        ctx = encoder_context(model, sampler, mod_dict(order))[0].numpy().astype("<f4")
        (out / "context.bin").write_bytes(ctx.tobytes())
        result["context"] = {"file": "context.bin", "rows": int(ctx.shape[0]), "dim": int(ctx.shape[1]),
                             "sha256": hashlib.sha256(ctx.tobytes()).hexdigest()}

        # Image targets: the queried positions pending, everything else not a target.
        image_targets = {"tok_depth@224": (196, sorted(g.choice(196, 24, replace=False).tolist())),
                         "tok_imagebind@224": (256, sorted(g.choice(256, 15, replace=False).tolist()) + [255]),
                         "tok_imagebind_global": (16, list(range(16)))}
        result["imageTargets"] = {}
        for target, (n, positions) in image_targets.items():
            tm = torch.ones(1, n, dtype=torch.bool)
            tm[0, positions] = False
            entry = {"tensor": torch.zeros(1, n, dtype=torch.int64), "input_mask": torch.ones(1, n, dtype=torch.bool),
                     "target_mask": tm, "decoder_attention_mask": torch.zeros(1, n, dtype=torch.bool)}
            logits, mod_pos = sampler.forward_enc_dec_roar_batched(mod_dict(order, target, entry), target, len(positions), seed=0)
            order_idx = torch.argsort(mod_pos[0])
            got = mod_pos[0][order_idx].tolist()
            assert got == positions, (got, positions)
            lg = logits[0][order_idx].numpy()
            result["imageTargets"][target] = {"positions": positions, **logit_summary(lg, 61)}

        # Caption target, teacher-forced: decoder input [S_1] w1 … w8 under a causal mask,
        # embedded as the autoregressive step does (decoder token_emb + target pos + mod emb).
        target = "caption"
        prefix = [S1] + g.integers(4284, 30000, 8).tolist()
        n_target = 12
        entry = {"tensor": torch.zeros(1, n_target, dtype=torch.int64), "input_mask": torch.ones(1, n_target, dtype=torch.bool),
                 "target_mask": torch.zeros(1, n_target, dtype=torch.bool), "decoder_attention_mask": torch.zeros(1, n_target, dtype=torch.bool)}
        entry = gen_mod.empty_seq_modality({target: entry}, target)[target]
        seq_inputs = [k for k in order if k != target]
        dd = mod_dict(seq_inputs, target, entry)
        # Not encoder_context: the decoder below attends with the encoder's mask too.
        enc = {m: model.encoder_embeddings[m](v) for m, v in dd.items() if m in model.encoder_embeddings}
        tokens, emb, mask, _ = sampler.forward_mask_encoder_generation(enc)
        ctx2 = model.decoder_proj_context(model.forward_encoder(tokens + emb, mask)) + emb
        dec = {target: model.decoder_embeddings[target].forward_embed(dd[target])}
        _, dec_emb, _, dec_mod_mask, _ = sampler.forward_mask_decoder_autoregressive(dec, target)
        ids = torch.tensor([prefix])
        L = len(prefix)
        y = model.decoder_embeddings[target].token_emb(ids) + dec_emb[:, :L]
        causal = torch.ones((L, L), dtype=torch.bool).triu(1)[None]
        hidden = model.forward_decoder(y, ctx2, mask, causal)
        lg = model.forward_logits(hidden, dec, dec_mod_mask[:, :L])[target].reshape(L, -1).numpy()
        result["sequenceTarget"] = {"target": target, "inputs": seq_inputs, "targetLength": n_target,
                                    "prefix": prefix, "encoderTokens": int(tokens.shape[1]), **logit_summary(lg, 97)}

        # Greedy caption from the same inputs through the official autoregressive step.
        captured: dict = {}

        def keep(mod_dict_, pred_ids, target_mod, text_tokenizer, default_sentinel="[S_1]"):
            captured["ids"] = pred_ids[0].tolist()
            return mod_dict_

        sampler.merge_sequences_batched = keep
        sampler.autoregressive_step_batched(mod_dict(seq_inputs, target, entry), target, temperature=0.0, top_k=0.0, top_p=0.0)
        result["greedyCaption"] = {"target": target, "inputs": seq_inputs, "targetLength": n_target, "ids": captured["ids"]}
    return result


def main() -> None:
    args = fixture_arguments(__doc__, keep_argument)
    fm_mod, gen_mod, _ = import_official(args.ml4m)
    args.out.mkdir(parents=True, exist_ok=True)
    model, fills = build_model(fm_mod)
    # Shared tensors (the deduplicated mod_emb) are filled once: look fills up by tensor identity.
    sd = model.state_dict(keep_vars=True)
    described = write_checkpoint_json(lambda folder: save_checkpoint(model, folder), sd, lambda key: fills.get(id(sd[key])),
                                      args.out, args.keep, "official-fm")
    ref = reference_outputs(model, gen_mod, args.out)
    ref["checkpointSha256"] = described["sha256"]
    (args.out / "reference.json").write_text(json.dumps(ref))
    print(f"checkpoint {described['bytes']} bytes, sha256 {described['sha256'][:16]}…; "
          f"{len(described['tensors'])} tensors, {len(described['buffers'])} distinct buffers; "
          f"greedy caption {ref['greedyCaption']['ids']}")


if __name__ == "__main__":
    main()
