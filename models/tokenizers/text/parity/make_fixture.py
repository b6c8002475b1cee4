"""Build a small 4M-layout BERT WordPiece tokenizer with the real `tokenizers` library and dump
reference encode/decode results, so the TypeScript port can be checked for exact parity.

Usage: /work/venv/bin/python models/tokenizers/text/parity/make_fixture.py [out_dir]
Writes <out_dir>/wordpiece-4m-small.tokenizer.json and <out_dir>/wordpiece-parity.json.
"""
import json
import random
import string
import sys
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

COORD_BINS = 64  # B: small on purpose; the TS side must read it from the vocabulary
N_SENTINELS = 20
CLASS_NAMES = ["bottle", "car", "cat", "dining table", "dog", "person", "potted plant", "teddy bear"]

SUBJECTS = ["the cat", "a small dog", "my grandmother", "two children", "an old fisherman", "the red car",
            "a painter", "the teacher", "several birds", "a tall giraffe", "the river", "our neighbour"]
VERBS = ["sits on", "walks past", "looks at", "jumps over", "paints", "carries", "follows", "hides behind",
         "waits near", "drives toward", "sings about", "remembers"]
OBJECTS = ["the wooden bench", "a blue umbrella", "the mountain lake", "an empty street", "the kitchen table",
           "a bowl of fruit", "the lighthouse", "a sleepy village", "the crowded market", "a paper boat",
           "the sunset", "a broken window"]
TAILS = ["", " in the morning", " during the storm", " while it rains", " at night", " with great care",
         " quietly", " for hours", ", smiling", "!", "?", " near the harbour."]


def corpus(n: int) -> list[str]:
    rng = random.Random(0)
    out = []
    for _ in range(n):
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
        out.append(s[0].upper() + s[1:] if rng.random() < 0.5 else s)
    out += ["Photography, illustration and painting are different crafts.",
            "Unbelievably, the understanding of transformation is uncomfortable.",
            "Café crème and naïve résumé.", "It's a beautiful day; isn't it?",
            "Numbers like 42, 3.14 and 1000 appear too."]
    return out


def special_layout() -> list[str]:
    toks = ["[PAD]", "[UNK]", "[SOS]", "[EOS]"] + [f"[S_{i}]" for i in range(N_SENTINELS)]
    for axis in range(4):
        toks += [f"v{axis}={b}" for b in range(COORD_BINS)]
    return toks + CLASS_NAMES


def build() -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", continuing_subword_prefix="##", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    layout = special_layout()
    trainer = trainers.WordPieceTrainer(vocab_size=len(layout) + 400, min_frequency=1, special_tokens=layout,
                                        continuing_subword_prefix="##",
                                        initial_alphabet=list(string.ascii_lowercase + string.digits + string.punctuation))
    tok.train_from_iterator(corpus(400), trainer)
    # Set the 4M added-token flags: coordinates and sentinels are single_word and not normalized,
    # class names are normalized. Editing the JSON keeps the ids the trainer assigned.
    data = json.loads(tok.to_str())
    for entry in data["added_tokens"]:
        content = entry["content"]
        if content in CLASS_NAMES:
            entry.update(single_word=False, normalized=True, special=True)
        elif content.startswith("v") or content.startswith("[S_"):
            entry.update(single_word=True, normalized=False, special=True)
        else:
            entry.update(single_word=False, normalized=False, special=True)
    # One non-special token with lstrip/rstrip to exercise those flags too.
    data["added_tokens"].append({"id": max(data["model"]["vocab"].values()) + 1, "content": "<mark>",
                                 "single_word": False, "lstrip": True, "rstrip": True,
                                 "normalized": False, "special": False})
    data["post_processor"] = None
    return Tokenizer.from_str(json.dumps(data))


def tricky_strings() -> list[str]:
    s = ["", " ", "   ", "a", "A", "Hello, world!", "hello   world", "  leading and trailing  ",
         "tabs\tand\nnewlines\r\nhere", "MiXeD CaSe WoRdS", "ALL CAPS SENTENCE.",
         "Café crème brûlée", "naïve résumé", "Ångström Øresund", "Straße", "İstanbul", "ΣΊΣΥΦΟΣ",
         "façade coöperate", "e\u0301 combining", "北京欢迎你", "日本語のテキスト", "한국어 문장",
         "emoji 😀 and 🎨 art", "zero\u200bwidth", "soft\u00adhyphen", "nbsp\u00a0space", "ideographic\u3000space",
         "control\u0007char", "null\u0000char", "replacement\ufffdchar", "em—dash – en", "“smart quotes”",
         "«guillemets»", "¿Qué tal?", "¡Hola!", "price: $4.99 + 5% tax", "a+b=c^2 | x<y>z `tick`", "under_score",
         "hyphen-ated-word", "e-mail@example.com", "http://example.com/path?q=1&r=2", "C:\\Windows\\path",
         "it's", "isn't", "I'm", "we've", "they're", "do not", "rock 'n' roll", "...", "?!?!", "(parens) [brackets] {braces}",
         "v0=12", "v0=12 v1=3 v2=40 v3=63 cat", "v0=63", "v0=64", "v0=100", "v0=1234", "V0=12", "v0=12v1=3", "xv0=12",
         "v0=12x", "v0=12,", "(v0=12)", "v0=12.", "v0=", "v4=1", "v0 = 12", "v0=012", "v3=0 v3=63", "v0=5_", "_v0=5",
         "v0=5é", "év0=5", "v0=5\u00a0v1=6", "v0=1v0=2", "[S_1]", "[S_0]", "[S_19]", "[S_20]", "[s_1]", "[S_1]hello",
         "hello[S_1]", "a photo of [S_1] on a beach", "A lake house with a boat in front [S_1]", "[S_1] [S_2]",
         "[S_1][S_2]", "[S_1]] ", "[[S_1]", "[EOS]", "[eos]", "text [EOS]", "text[EOS]more", "[PAD][UNK][SOS]",
         "[UNK]", "[SOS] start", "[MASK]", "cat", "Cat", "CAT", "cats", "dining table", "Dining Table", "DINING  TABLE",
         "dining  table", "dining\ttable", "diningtable", "a dining table and a teddy bear", "teddy bearish", "potted plants",
         "the catalogue", "concatenate", "dog-friendly", "person's", "bottle,car,cat", "dining table.",
         "v0=3 v1=4 v2=20 v3=30 dining table v0=10 v1=11 v2=50 v3=60 potted plant", "[S_1] v0=0 v1=25 v2=42 v3=63 potted plant [S_2]",
         "<mark>", "a <mark> b", "a<mark>b", "a   <mark>   b", "<mark><mark>", " <mark>", "<MARK>",
         "xyzzyplugh", "qwertyuiop asdfghjkl", "supercalifragilisticexpialidocious", "a" * 99, "b" * 100, "c" * 101,
         "word " + "z" * 150, "unbelievably", "understanding", "transformation", "uncomfortable", "photography",
         "illustrations", "painters", "lighthouses", "umbrellas", "fisherman's", "grandmothers",
         "42", "3.14", "1,000,000", "1000", "2024-06-01", "12:30pm", "#hashtag", "@mention", "~tilde~",
         "ﬁligree ligature", "½ fraction", "①②③", "x²", "Ⅻ roman", "ＦＵＬＬＷＩＤＴＨ", "ｶﾀｶﾅ",
         "Привет мир", "Ελληνικά", "עברית", "العربية", "हिन्दी", "ไทย", "tiếng Việt", "Zürich Köln",
         "\u0301leading combining", "a\u0300\u0301\u0302 stacked", "🏳️‍🌈 flag", "👍🏽 skin", "\U00020000 ext-b",
         "Mr. Smith went to Washington.", "Hello world !", "one , two , three", "end .", "q ?", "wow !",
         "The cat sits on the wooden bench in the morning.", "Several birds jump over a paper boat!",
         "THE RED CAR DRIVES TOWARD THE LIGHTHOUSE", "our neighbour remembers the sunset, smiling",
         "a painter paints a bowl of fruit while it rains", "Two children follow the crowded market?",
         "multiple     spaces     between", "\n\n\n", "\t", "trailing newline\n", "ends with [S_1] ",
         "v1=7 v0=255 v0=0 v0=12", "v1=3 v0=10 v0=20 v0=30", "dog[S_1]cat", "cat[EOS]", "[EOS][EOS]", "[S_1]v0=1",
         "teddy bear", "teddy bear.", "the teddy bear sleeps", "pottedplant", "potted plant potted plant",
         "a\u2028line separator", "a\u2029para", "a\u0085nel", "a\u000bvt", "a\u000cff", "a\u001fus", "\ufeffbom",
         "dining table v0=1", "cat\u00a0dog", "ÉCOLE", "ÇA", "ǅ digraph", "ẞ capital sharp s"]
    return s


def main() -> None:
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/tokenizers")
    out_dir.mkdir(parents=True, exist_ok=True)
    tok = build()
    tok_path = out_dir / "wordpiece-4m-small.tokenizer.json"
    tok_path.write_text(tok.to_str(pretty=False))
    tok = Tokenizer.from_file(str(tok_path))
    cases = []
    for text in tricky_strings():
        ids = tok.encode(text, add_special_tokens=False).ids
        cases.append({"text": text, "ids": ids, "tokens": [tok.id_to_token(i) for i in ids],
                      "decoded": tok.decode(ids, skip_special_tokens=False),
                      "decodedSkipSpecial": tok.decode(ids, skip_special_tokens=True)})
    extra_ids = [[5, 300, 6], [0, 1, 2, 3], [tok.get_vocab_size() + 5, 30], []]
    decodes = [{"ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False),
                "decodedSkipSpecial": tok.decode(ids, skip_special_tokens=True)} for ids in extra_ids]
    meta = {"generator": "models/tokenizers/text/parity/make_fixture.py", "tokenizersVersion": __import__("tokenizers").__version__,
            "coordBins": COORD_BINS, "sentinels": N_SENTINELS, "classNames": CLASS_NAMES, "vocabSize": tok.get_vocab_size()}
    (out_dir / "wordpiece-parity.json").write_text(json.dumps({"meta": meta, "cases": cases, "decodes": decodes}, ensure_ascii=False, indent=0))
    print(f"{len(cases)} cases, vocab {tok.get_vocab_size()}")


if __name__ == "__main__":
    main()
