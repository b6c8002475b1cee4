"""WordPiece text tokenizer for captions, boxes and palettes, with 4M's id layout.

Layout (ids in order): [PAD]=0, [UNK]=1, [SOS]=2, [EOS]=3, sentinels [S_0]..[S_{n-1}], coordinate tokens
v0=0..v0={B-1}, v1=…, v2=…, v3=… (B = COORD_BINS), the object class names, then learned WordPiece
pieces. Coordinates use B bins (4M uses 1000 for 224 px photos; our 128 px world needs far fewer), and
palette values use v0=0..255, so B must be at least 256.

Usage: python -m fourm_recipe.text.vocab  → writes runs/text/text_tokenizer.json
"""
from __future__ import annotations

import string
from pathlib import Path

from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

from ..tokenizers.data import load_meta
from ..world.scene import KINDS

COORD_BINS = 256
N_SENTINELS = 32
SPECIALS = ["[PAD]", "[UNK]", "[SOS]", "[EOS]"]


def fixed_tokens() -> list[str]:
    sentinels = [f"[S_{i}]" for i in range(N_SENTINELS)]
    coords = [f"v{axis}={v}" for axis in range(4) for v in range(COORD_BINS)]
    return SPECIALS + sentinels + coords


def build(captions: list[str], vocab_size: int = 1700) -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", continuing_subword_prefix="##", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    # Whole words of our closed caption language become single pieces; characters remain so that any
    # user word still tokenizes (into pieces) instead of collapsing to [UNK].
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=1, special_tokens=fixed_tokens(),
                                        continuing_subword_prefix="##", show_progress=False,
                                        initial_alphabet=list(string.ascii_lowercase + string.digits + string.punctuation))
    tok.train_from_iterator(captions, trainer)
    fixed = [AddedToken(t, single_word=t.startswith("v"), normalized=False, special=True) for t in fixed_tokens()]
    tok.add_special_tokens(fixed)
    tok.add_tokens([AddedToken(k, normalized=True) for k in KINDS])
    return tok


def main() -> None:
    captions = [m["caption"] for m in load_meta("train", limit=10)]
    tok = build(captions)
    out = Path(__file__).resolve().parents[2] / "runs" / "text"
    out.mkdir(parents=True, exist_ok=True)
    tok.save(str(out / "text_tokenizer.json"))
    ids = tok.encode(captions[0]).ids
    print("vocab", tok.get_vocab_size(), "example", captions[0], ids, tok.decode(ids))
    lens = [len(tok.encode(c).ids) for c in captions]
    print("caption tokens max", max(lens), "mean", sum(lens) / len(lens))


if __name__ == "__main__":
    main()
