"""Export wrappers: the FM split into encoder / decoder trunk / heads (reference §4.6), and tokenizers
with their pixel conventions inside the graph so the TypeScript side only moves plain arrays."""
from __future__ import annotations

import math

import torch
from torch import nn

from ..tokenizers.modalities import LOG_MAX, LOG_MIN
from ..tokenizers.vqvae import ImageTokenizer


class FMEncoder(nn.Module):
    def __init__(self, fm):
        super().__init__()
        self.fm = fm

    def forward(self, x, emb, pad):
        return self.fm.encode(x, emb, pad)


class FMDecoder(nn.Module):
    def __init__(self, fm):
        super().__init__()
        self.fm = fm

    def forward(self, y, context, enc_pad, sa_mask):
        return self.fm.decode(y, context, enc_pad, sa_mask)


class Head(nn.Module):
    def __init__(self, linear: nn.Linear):
        super().__init__()
        self.linear = linear

    def forward(self, hidden):
        return self.linear(hidden)


class TokenizerEncoder(nn.Module):
    """Plain pixels in (see PIXEL_IO), token ids (B, 16, 16) int64 out."""

    def __init__(self, net: ImageTokenizer, modality: str):
        super().__init__()
        self.net, self.modality = net, modality

    def forward(self, pixels):
        m = self.modality
        if m in ("rgb", "normal", "edge"):
            x = pixels / 127.5 - 1
        elif m == "depth":
            x = (pixels.clamp(math.exp(LOG_MIN), math.exp(LOG_MAX)).log() - LOG_MIN) / (LOG_MAX - LOG_MIN) * 2 - 1
        else:   # semseg: class ids (B, H, W) int64
            x = nn.functional.one_hot(pixels, self.net.cfg.in_channels).permute(0, 3, 1, 2).float()
        return self.net.encode(x)


class TokenizerDecoder(nn.Module):
    """Token ids (B, 16, 16) int64 in, plain pixels out (see PIXEL_IO)."""

    def __init__(self, net: ImageTokenizer, modality: str):
        super().__init__()
        self.net, self.modality = net, modality
        self.register_buffer("codebook", net.quantizer.codebook())

    def forward(self, ids):
        codes = self.codebook[ids].permute(0, 3, 1, 2)
        out = self.net.decoder(codes)
        m = self.modality
        if m in ("rgb", "normal"):
            return ((out.clamp(-1, 1) + 1) * 127.5)
        if m == "depth":
            return ((out.clamp(-1, 1) + 1) / 2 * (LOG_MAX - LOG_MIN) + LOG_MIN).exp()
        if m == "edge":
            return torch.sigmoid(out) * 255
        return out.softmax(1)   # semseg: per-class probabilities (B, C, H, W); argmax gives the map


PIXEL_IO = {
    "rgb": {"encoderInput": "float32 [B,3,H,W] sRGB 0..255", "decoderOutput": "float32 [B,3,H,W] sRGB 0..255"},
    "normal": {"encoderInput": "float32 [B,3,H,W] camera-space normal encoded as (n+1)*127.5",
               "decoderOutput": "float32 [B,3,H,W] same encoding"},
    "depth": {"encoderInput": "float32 [B,1,H,W] z-depth in metres (clamped to 0.5..60)", "decoderOutput": "float32 [B,1,H,W] metres"},
    "edge": {"encoderInput": "float32 [B,1,H,W] 0 (no edge) or 255 (edge)", "decoderOutput": "float32 [B,1,H,W] edge probability*255"},
    "semseg": {"encoderInput": "int64 [B,H,W] class ids", "decoderOutput": "float32 [B,C,H,W] class probabilities"},
}
