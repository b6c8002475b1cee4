"""Token ids of 4M's official WordPiece tokenizer, computed by Hugging Face `tokenizers`.

    python -m fourm_recipe.official.wordpiece_parity \
        --tokenizer /path/to/ml-4m/fourm/utils/tokenizer/trained/text_tokenizer_4m_wordpiece_30k.json \
        --out ../../test/fixtures/tokenizers/official-wordpiece-parity.json

The texts are what the app feeds it: captions, 4M's serialized boxes, metadata, palettes, poses and SAM
instances with their added tokens (`v0=…`, `[S_k]`, COCO class names), plus normalizer edge cases
(case, accents, CJK, control characters, punctuation, long words). The fixture stores the file's
SHA-256 (not the file): the TypeScript test reads the same file and must give the same ids and decodes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from tokenizers import Tokenizer
import tokenizers

EDGE_CASES = [
    "", " ", "a", "A", "Hello, World!", "a photo of a cat sitting on a couch.",
    "Café déjà vu — naïve façade", "ÀÉÎÕÜ ñ ç ø å æ ß", "東京タワーの夜景", "北京 上海 广州", "한국어 텍스트",
    "tab\tseparated\ttext", "line\nbreaks\r\nhere", "ctrl\u0000chars\u0007here", "zero\u200bwidth space",
    "emoji 😀 🚀 in text", "don't can't won't", "e.g. i.e. u.s.a.", "$100.00 & 50% off!!!",
    "hyphen-ated words and under_scores", "supercalifragilisticexpialidocious" * 3,
    "x" * 99, "y" * 100, "z" * 101, "MiXeD CaSe TeXt", "   leading and trailing spaces   ",
    "[S_1]", "[S_1] [S_2]", "a lake house with a boat in front [S_1]", "[EOS]", "[PAD] [UNK] [SOS]",
    "[s_1]", "v0=12", "V0=12", "v0=999 v1=0", "v0=1000", "v0=12v1=13", "xv0=12", "v0=12.",
    "dining table", "Dining Table", "teddy bear teddy bears", "hot dog hotdog", "cell phone",
    "[S_1] v0=0 v1=250 v2=420 v3=999 potted plant v0=400 v1=10 v2=600 v3=500 bottle [S_2]",
    "v1=16 v0=2 [S_1]", "human v0=1 v1=2 v2=3 v3=4 pose v0=5 v1=6 camera v0=7 shape v0=8 global v0=9",
    "point v0=100 v1=50 polygon v0=1 v1=2 v2=3 v3=4 v0=511 v1=3 none",
]

WORDS = ("a an the of on in with near under over beside two three red blue green large small old young "
         "man woman child dog cat horse car bus train boat bird sky tree grass road street building house "
         "window table chair bed sofa kitchen beach mountain river snow sunset night city field person "
         "holding riding standing sitting walking playing looking wearing eating").split()


def texts(classes: list[str], rng: random.Random) -> list[str]:
    out = list(EDGE_CASES)
    for _ in range(120):  # captions
        n = rng.randint(3, 18)
        words = [rng.choice(WORDS) for _ in range(n)]
        if rng.random() < 0.3:
            words[0] = words[0].capitalize()
        out.append(" ".join(words) + rng.choice(["", ".", "!", " [S_1]", " [EOS]"]))
    for _ in range(60):  # boxes
        parts = []
        for _ in range(rng.randint(1, 5)):
            x0, y0 = rng.randint(0, 900), rng.randint(0, 900)
            parts.append(f"v0={x0} v1={y0} v2={rng.randint(x0, 999)} v3={rng.randint(y0, 999)} {rng.choice(classes)}")
        out.append(" ".join(parts))
    for _ in range(30):  # metadata
        out.append(" ".join(f"v1={rng.randint(0, 20)} v0={rng.randint(0, 999)}" for _ in range(rng.randint(1, 8))))
    for _ in range(30):  # palettes
        n = rng.randint(1, 7)
        out.append(f"v1={n} " + " ".join(f"v0={rng.randint(0, 255)}" for _ in range(3 * n)))
    for _ in range(30):  # mixed text and added tokens, sentinels
        k = rng.randint(1, 199)
        out.append(f"{rng.choice(WORDS)} [S_{k}] {rng.choice(classes)} v{rng.randint(0, 3)}={rng.randint(0, 999)} {rng.choice(WORDS).upper()}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokenizer", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    raw = args.tokenizer.read_bytes()
    tok = Tokenizer.from_str(raw.decode("utf-8"))
    spec = json.loads(raw)
    classes = [t["content"] for t in spec["added_tokens"] if t["normalized"]]
    rng = random.Random(14)
    cases = []
    for text in texts(classes, rng):
        enc = tok.encode(text)
        cases.append({"text": text, "ids": enc.ids, "decoded": tok.decode(enc.ids, skip_special_tokens=False),
                      "decodedSkipSpecial": tok.decode(enc.ids, skip_special_tokens=True)})
    decodes = []
    for _ in range(40):
        ids = [rng.randint(0, 29999) for _ in range(rng.randint(1, 12))]
        decodes.append({"ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False),
                        "decodedSkipSpecial": tok.decode(ids, skip_special_tokens=True)})
    fixture = {
        "meta": {"generator": "models/recipe/fourm_recipe/official/wordpiece_parity.py",
                 "file": args.tokenizer.name, "sha256": hashlib.sha256(raw).hexdigest(),
                 "tokenizersVersion": tokenizers.__version__, "vocabSize": tok.get_vocab_size()},
        "cases": cases,
        "decodes": decodes,
    }
    args.out.write_text(json.dumps(fixture, ensure_ascii=False, indent=0))
    print(f"{len(cases)} texts, {len(decodes)} decodes → {args.out}")


if __name__ == "__main__":
    main()
