"""The judge's network: a compact U-Net, 128×128 RGB → 6 class logits per pixel, plus a picture feature.

Four stride-2 stages give every pixel a receptive field wider than the largest object (needed to tell a
cube from a cylinder by its silhouette), skips at every scale keep borders exact, and the full-resolution
layers are only 8 channels wide because they dominate the cost on one CPU thread. The globally pooled
bottleneck (96 numbers) is the feature the evaluation's picture-distribution distance uses.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

CLASSES = ("sky", "ground", "sphere", "cube", "cylinder", "cone")
WIDTHS = (8, 24, 40, 64, 96)   # 128, 64, 32, 16, 8 px
FEATURES = WIDTHS[-1]


def conv_bn(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class JudgeNet(nn.Module):
    def __init__(self, n_classes: int = len(CLASSES), widths: tuple[int, ...] = WIDTHS):
        super().__init__()
        w = self.widths = tuple(widths)
        if len(w) != 5:
            raise ValueError(f"the judge has five scales (128 … 8 px), got widths {w}")
        self.stem = conv_bn(3, w[0])
        self.down = nn.ModuleList([nn.Sequential(conv_bn(w[i], w[i + 1], 2), conv_bn(w[i + 1], w[i + 1])) for i in range(4)])
        self.up = nn.ModuleList([conv_bn(w[i + 1] + w[i], w[i]) for i in range(4)])
        self.head = nn.Conv2d(w[0], n_classes, 1)

    def forward(self, rgb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """rgb (B, 3, H, W) in 0..255 → (logits (B, C, H, W), features (B, widths[-1]))."""
        x = self.stem(rgb / 127.5 - 1)
        skips = [x]
        for d in self.down:
            x = d(x)
            skips.append(x)
        feats = x.mean((2, 3))
        for i in reversed(range(4)):
            x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
            x = self.up[i](torch.cat([x, skips[i]], 1))
        return self.head(x), feats


class FlipAveraged(nn.Module):
    """The exported judge: logits and features averaged over the picture and its mirror image. The
    world has no handedness, and the average reads tokenizer-decoded pictures (what every generated
    picture is) better: held-out mIoU 0.752 → 0.772 decoded, 0.907 → 0.909 clean, at 2× the cost of
    a small net."""

    def __init__(self, net: JudgeNet):
        super().__init__()
        self.net = net

    def forward(self, rgb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits, feats = self.net(rgb)
        flipped_logits, flipped_feats = self.net(rgb.flip(3))
        return (logits + flipped_logits.flip(3)) / 2, (feats + flipped_feats) / 2


class MultiScaleAveraged(nn.Module):
    """The exported judge since session 11: FlipAveraged read at several scales (the picture enlarged
    bilinearly, the class probabilities brought back to the input size) and the probabilities averaged;
    the output is their log, so its argmax is the verdict. An enlarged reading sees a small object with
    more pixels, where the judge's errors were (a wrong kind on objects of 100–500 px); scales 1 and 1.5
    raised held-out mIoU 0.939 → 0.947 before any retraining. The picture feature (Fréchet distance)
    stays the scale-1 one, so the distance keeps its meaning."""

    def __init__(self, net: JudgeNet, scales: tuple[float, ...] = (1.0, 1.5)):
        super().__init__()
        if not scales or scales[0] != 1.0:
            raise ValueError(f"the first scale must be 1 (it gives the picture feature), got {scales}")
        self.flip = FlipAveraged(net)
        self.scales = tuple(scales)

    def forward(self, rgb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        size = rgb.shape[-2:]
        logits, feats = self.flip(rgb)
        probs = F.softmax(logits, 1)
        for s in self.scales[1:]:
            big = F.interpolate(rgb, scale_factor=s, mode="bilinear", align_corners=False)
            p = F.softmax(self.flip(big)[0], 1)
            probs = probs + F.interpolate(p, size=size, mode="bilinear", align_corners=False)
        return torch.log(probs / len(self.scales)), feats
