"""Load a trained image tokenizer (best checkpoint by held-out metric)."""
from __future__ import annotations

import torch

from ..tokenizers.train import RUNS
from ..tokenizers.vqvae import ImageTokenizer, TokenizerConfig


LOWER_IS_BETTER = {"depth", "normal"}


def pick_checkpoint(modality: str) -> str:
    """best.pt (best periodic eval) or final.pt (eval at the end of the schedule), whichever scored better."""
    scores = {}
    for which in ("best", "final"):
        path = RUNS / f"tok_{modality}" / f"{which}.pt"
        if path.exists():
            ev = torch.load(path, weights_only=False, map_location="cpu").get("eval") or {}
            if ev:
                scores[which] = next(iter(ev.values()))
    if not scores:
        return "best"
    pick = min if modality in LOWER_IS_BETTER else max
    return pick(scores, key=scores.get)


def load_tokenizer(modality: str, which: str | None = None, allow_untrained: bool = False) -> ImageTokenizer:
    which = which or pick_checkpoint(modality)
    path = RUNS / f"tok_{modality}" / f"{which}.pt"
    committed = RUNS / f"tok_{modality}" / "weights.safetensors"
    if not path.exists() and committed.exists():   # a fresh clone: the committed float16 weights
        from safetensors import safe_open
        import json
        with safe_open(str(committed), "pt") as f:
            net = ImageTokenizer(TokenizerConfig(**json.loads(f.metadata()["config"])))
            net.load_state_dict({k: f.get_tensor(k).float() for k in f.keys()})
        return net.eval()
    if not path.exists() and allow_untrained:   # development packages only (export --untrained)
        from ..tokenizers.modalities import CONFIGS
        return ImageTokenizer(CONFIGS[modality]).eval()
    ck = torch.load(path, weights_only=False)
    net = ImageTokenizer(TokenizerConfig(**ck["config"]))
    net.load_state_dict(ck["model"])
    return net.eval()


def save_tokenizer_weights(modality: str) -> None:
    """Commit-sized copy (float16 safetensors) of the chosen checkpoint, so a fresh clone can re-export
    and re-tokenize without the local .pt files."""
    from safetensors.torch import save_file
    import json
    which = pick_checkpoint(modality)
    ck = torch.load(RUNS / f"tok_{modality}" / f"{which}.pt", weights_only=False)
    sd = {k: v.half().contiguous() for k, v in ck["model"].items()}
    save_file(sd, str(RUNS / f"tok_{modality}" / "weights.safetensors"),
              metadata={"config": json.dumps(ck["config"]), "eval": json.dumps(ck.get("eval")), "step": str(ck["step"]), "from": which})
