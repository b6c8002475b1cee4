"""The independent judge: a small U-Net that reads the world's pictures into classes (evaluation only)."""
