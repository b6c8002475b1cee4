"""What a task mix teaches generation: the share of image target tokens by how much of their own
modality the encoder saw, and how long the encoder inputs get.

ROAR/MaskGIT generation and inpainting predict tokens beside an ever larger visible share of the same
image; a mix that never shows a target much of itself never teaches those steps. Token values do not
matter here, so the samples are synthetic (sequences at typical lengths); batches go through the
trainer's own task choice, sampler and collate (buckets, truncation).
Usage: python -m fourm_recipe.fm.coverage [--samples 20000] [--p-own-context 0.42 …]   (prints Markdown)
"""
from __future__ import annotations

import argparse

import numpy as np

from .masking import DEC_BUCKETS, ENC_BUCKETS, MIX_FLAGS, Layout, MixConfig, SpecialIds, choose_task, collate, sample_one
from .spec import fm_modalities

BINS = ("0", "(0, .25]", "(.25, .5]", "(.5, .75]", "(.75, 1)")
SEQ_LEN = {"caption": 40, "det": 20, "color_palette": 20}   # typical token counts in the world's data


def _bin(frac: float) -> int:
    return 0 if frac == 0 else min(4, int(np.ceil(frac * 4)) )


def coverage(mix: MixConfig, samples: int = 20000, batch: int = 32, seed: int = 0) -> dict:
    """{modality: counts per BINS of target tokens}, the encoder lengths' histogram and the longest."""
    mods = fm_modalities(1000)
    names = sorted(mods)
    layout, sp = Layout(names, mods), SpecialIds(0, 3, 5, 6)
    rng = np.random.default_rng(seed)
    example = {n: (np.arange(256) if n.startswith("tok_") else list(range(10, 10 + SEQ_LEN[n]))) for n in names}
    images = [n for n in names if n.startswith("tok_")]
    counts = {n: np.zeros(len(BINS)) for n in images}
    enc_lengths = []
    for _ in range(samples // batch):
        task = choose_task(mix, rng, names)
        b = collate([sample_one(example, layout, sp, mix, rng, task) for _ in range(batch)], layout, ENC_BUCKETS[-1],
                    DEC_BUCKETS[-1], rng, enc_buckets=ENC_BUCKETS, dec_buckets=DEC_BUCKETS)
        enc, enc_pad = b["enc_index"].numpy(), b["enc_pad"].numpy()
        dec, dec_pad = b["dec_index"].numpy(), b["dec_pad"].numpy()
        for i in range(batch):
            e = enc[i][~enc_pad[i]]
            d = dec[i][~dec_pad[i]]
            enc_lengths.append(len(e))
            for n in images:
                lo, hi = layout.offset[n], layout.offset[n] + 256
                n_tgt = int(((d >= lo) & (d < hi)).sum())
                if n_tgt:
                    counts[n][_bin(((e >= lo) & (e < hi)).sum() / 256)] += n_tgt
    return {"counts": counts, "enc_lengths": np.array(enc_lengths)}


def table(result: dict) -> str:
    counts = result["counts"]
    rows = ["| target | " + " | ".join(f"visible {b}" for b in BINS) + " |", "|---" * (len(BINS) + 1) + "|"]
    total = sum(counts.values())
    for n, c in list(counts.items()) + [("all images", total)]:
        share = c / max(1, c.sum())
        rows.append(f"| {n} | " + " | ".join(f"{100 * s:.1f} %" for s in share) + " |")
    lengths = result["enc_lengths"]
    rows.append("")
    rows.append(f"Encoder inputs: longest {lengths.max()}, {100 * (lengths > 256).mean():.1f} % of samples over 256, "
                f"{100 * (lengths > 384).mean():.1f} % over 384.")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=20000)
    for field in MIX_FLAGS:
        ap.add_argument("--" + field.replace("_", "-"), type=float, default=getattr(MixConfig(), field))
    args = ap.parse_args()
    mix = MixConfig(**{f: getattr(args, f) for f in MIX_FLAGS})
    print(f"mix {', '.join(f'{f} {getattr(mix, f)}' for f in MIX_FLAGS)}; {args.samples} samples\n")
    print(table(coverage(mix, args.samples)))


if __name__ == "__main__":
    main()
