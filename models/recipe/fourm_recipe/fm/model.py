"""FourM: the 4M encoder-decoder with the official module and parameter names (reference §1).

Modalities are declared by a spec dict {name: {"type": "img"|"seq", "vocab": V, "grid": g | "max_len": L}}.
The training forward takes index tensors that pick, per sample, which candidate tokens the encoder
sees and which ones the decoder predicts; all masking decisions are made by the data sampler.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .layers import Block, DecoderBlock, LayerNorm, init_weights, sincos_1d, sincos_2d, swiglu_hidden


@dataclass
class FMConfig:
    modalities: dict
    dim: int = 256
    encoder_depth: int = 6
    decoder_depth: int = 4
    num_heads: int = 4
    mlp_ratio: float = 4.0


class ImageTokenEncoderEmbedding(nn.Module):
    def __init__(self, vocab: int, grid: int, dim: int):
        super().__init__()
        self.token_emb = nn.Embedding(vocab, dim)
        self.register_buffer("pos_emb", sincos_2d(grid, grid, dim))
        self.mod_emb = nn.Parameter(torch.zeros(1, 1, dim))


class SequenceEncoderEmbedding(nn.Module):
    def __init__(self, vocab: int, max_len: int, dim: int):
        super().__init__()
        self.token_emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.register_buffer("pos_emb", sincos_1d(max_len, dim))
        self.mod_emb = nn.Parameter(torch.zeros(1, 1, dim))


class DecoderEmbedding(nn.Module):
    """Image and sequence decoder embeddings share this layout: token_emb, to_logits, pos_emb, mod_emb."""

    def __init__(self, vocab: int, pos_emb: torch.Tensor, dim: int, padding_idx: int | None):
        super().__init__()
        self.token_emb = nn.Embedding(vocab, dim, padding_idx=padding_idx)
        self.to_logits = nn.Linear(dim, vocab, bias=False)
        self.token_emb.weight = self.to_logits.weight   # tied, as 4M trains with share_embedding=True
        self.register_buffer("pos_emb", pos_emb)
        self.mod_emb = nn.Parameter(torch.zeros(1, 1, dim))


class FourM(nn.Module):
    def __init__(self, cfg: FMConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.dim
        hidden = swiglu_hidden(d, cfg.mlp_ratio)
        self.names = sorted(cfg.modalities)
        enc, dec = {}, {}
        for name in self.names:
            spec = cfg.modalities[name]
            if spec["type"] == "img":
                enc[name] = ImageTokenEncoderEmbedding(spec["vocab"], spec["grid"], d)
                dec[name] = DecoderEmbedding(spec["vocab"], sincos_2d(spec["grid"], spec["grid"], d), d, None)
            else:
                enc[name] = SequenceEncoderEmbedding(spec["vocab"], spec["max_len"], d)
                dec[name] = DecoderEmbedding(spec["vocab"], sincos_1d(spec["max_len"], d), d, 0)
            dec[name].mod_emb = enc[name].mod_emb            # share_modality_embeddings
        self.encoder_embeddings = nn.ModuleDict(enc)
        self.decoder_embeddings = nn.ModuleDict(dec)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, d))
        self.encoder = nn.ModuleList([Block(d, cfg.num_heads, hidden) for _ in range(cfg.encoder_depth)])
        self.encoder_norm = LayerNorm(d)
        self.decoder_proj_context = nn.Linear(d, d, bias=True)
        self.decoder = nn.ModuleList([DecoderBlock(d, cfg.num_heads, hidden) for _ in range(cfg.decoder_depth)])
        self.decoder_norm = LayerNorm(d)
        self.apply(init_weights)
        for m in list(enc.values()) + list(dec.values()):
            nn.init.normal_(m.token_emb.weight, std=0.02)
            nn.init.normal_(m.mod_emb, std=0.02)
        nn.init.normal_(self.mask_token, std=0.02)

    # --- the three exported pieces: encoder, decoder trunk, per-modality heads -------------------
    def encode(self, x, emb, pad):
        """x, emb (B,N,D); pad (B,N) True = padding → context (B,N,D) incl. proj + emb."""
        mask = pad[:, None, None, :]
        h = x + emb
        for blk in self.encoder:
            h = blk(h, mask)
        # Padded context rows are exactly zero: a decoder whose keys are all padding then gets a zero
        # cross-attention term, the same as skipping cross-attention for an empty encoder (N = 0).
        keep = (~pad)[..., None].to(h.dtype)
        return (self.decoder_proj_context(self.encoder_norm(h)) + emb) * keep

    def decode(self, y, context, enc_pad, sa_mask):
        """y (B,M,D) query content + emb; sa_mask (B,M,M) True = blocked, or None."""
        xa = enc_pad[:, None, None, :]
        sa = None if sa_mask is None else sa_mask[:, None]
        for blk in self.decoder:
            y = blk(y, context, sa, xa)
        return self.decoder_norm(y)

    # --- training -------------------------------------------------------------------------------
    def candidate_tables(self, batch):
        """Concatenate every modality's encoder/decoder candidate tokens in self.names order."""
        B = next(iter(batch["ids"].values())).shape[0]
        ex, ee, dx, de, lab = [], [], [], [], []
        for name in self.names:
            spec = self.cfg.modalities[name]
            e, dm = self.encoder_embeddings[name], self.decoder_embeddings[name]
            if spec["type"] == "img":
                ids = batch["ids"][name]
                n = ids.shape[1]
                ex.append(e.token_emb(ids))
                ee.append((e.pos_emb + e.mod_emb).expand(B, n, -1))
                dx.append(self.mask_token.expand(B, n, -1))
                de.append((dm.pos_emb + dm.mod_emb).expand(B, n, -1))
                lab.append(ids)
            else:
                enc_ids, dec_in, dec_lab = batch["seq_enc"][name], batch["seq_dec_in"][name], batch["seq_dec_label"][name]
                L = enc_ids.shape[1]
                ex.append(e.token_emb(enc_ids))
                ee.append((e.pos_emb[:, :L] + e.mod_emb).expand(B, L, -1))
                dx.append(dm.token_emb(dec_in))
                de.append((dm.pos_emb[:, :L] + dm.mod_emb).expand(B, L, -1))
                lab.append(dec_lab)
        return torch.cat(ex, 1), torch.cat(ee, 1), torch.cat(dx, 1), torch.cat(de, 1), torch.cat(lab, 1)

    def forward(self, batch):
        ex, ee, dx, de, lab = self.candidate_tables(batch)
        gather = lambda t, idx: torch.gather(t, 1, idx[..., None].expand(-1, -1, t.shape[-1]))
        enc_pad, dec_pad = batch["enc_pad"], batch["dec_pad"]
        keep_e = (~enc_pad)[..., None].float()
        x, emb = gather(ex, batch["enc_index"]) * keep_e, gather(ee, batch["enc_index"]) * keep_e
        context = self.encode(x, emb, enc_pad)
        y = gather(dx, batch["dec_index"]) + gather(de, batch["dec_index"])
        mod, pos, causal = batch["dec_mod"], batch["dec_pos"], batch["dec_causal"]
        blocked = (mod[:, :, None] != mod[:, None, :]) | dec_pad[:, None, :]
        blocked |= causal[:, :, None] & (pos[:, None, :] > pos[:, :, None])
        hidden = self.decode(y, context, enc_pad, blocked)
        labels = torch.gather(lab, 1, batch["dec_index"])
        losses = {}
        loss_index = batch.get("loss_index")
        if loss_index is not None:
            # Flat positions per modality, computed by the data loader on the CPU: no host-device sync
            # (boolean indexing and .any() each wait for the GPU).
            flat_h, flat_l = hidden.flatten(0, 1), labels.flatten()
            for name, idx in loss_index.items():
                logits = self.decoder_embeddings[name].to_logits(flat_h[idx])
                losses[name] = F.cross_entropy(logits.float(), flat_l[idx])
        else:
            for i, name in enumerate(self.names):
                sel = (mod == i) & ~dec_pad
                if sel.any():
                    logits = self.decoder_embeddings[name].to_logits(hidden[sel])
                    losses[name] = F.cross_entropy(logits, labels[sel])
        return torch.stack(list(losses.values())).mean(), {k: v.detach() for k, v in losses.items()}
