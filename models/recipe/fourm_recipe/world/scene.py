"""Random scene descriptions for the synthetic world: pure data, reproducible from a seed.

A scene is a camera, a sun, a ground, a sky and a few primitive objects standing on the ground.
Everything the renderer and the text serializers need is here; nothing is rendered.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

KINDS = ("sphere", "cube", "cylinder", "cone")
# Semantic classes: sky and ground first, then one per object kind.
CLASSES = ("sky", "ground") + KINDS
# Display colours only (the semseg tokenizer reads class ids); every pair is at least CIELAB ΔE 40 apart
# (test/unit/renderer/model/class-colors.test.ts), so sky and cube no longer share a blue.
CLASS_COLORS = ((110, 170, 235), (120, 110, 90), (230, 80, 60), (150, 70, 190), (240, 190, 50), (80, 190, 110))

# Named object colors (linear-ish sRGB in [0,1]); names appear in captions.
COLORS = {
    "red": (0.80, 0.12, 0.10),
    "orange": (0.92, 0.45, 0.08),
    "yellow": (0.90, 0.80, 0.12),
    "green": (0.15, 0.62, 0.20),
    "cyan": (0.12, 0.70, 0.75),
    "blue": (0.12, 0.25, 0.85),
    "purple": (0.50, 0.18, 0.70),
    "white": (0.88, 0.88, 0.86),
}
GROUNDS = {
    "gray": (0.45, 0.45, 0.45),
    "sand": (0.72, 0.62, 0.45),
    "grass": (0.30, 0.45, 0.22),
    "dark": (0.16, 0.16, 0.18),
}
SKIES = {
    "blue": ((0.35, 0.55, 0.90), (0.75, 0.85, 0.97)),
    "sunset": ((0.45, 0.30, 0.55), (0.98, 0.62, 0.35)),
    "overcast": ((0.60, 0.62, 0.66), (0.85, 0.86, 0.88)),
}


@dataclass
class SceneObject:
    kind: str
    color_name: str
    color: tuple[float, float, float]
    shiny: bool
    position: tuple[float, float]  # (x, z) on the ground plane
    size: float                    # characteristic radius / half-extent
    height: float                  # total height for cylinders, cones and cubes
    yaw: float                     # rotation about the vertical axis (cubes)

    @property
    def footprint(self) -> float:
        return self.size * (1.42 if self.kind == "cube" else 1.0)


@dataclass
class Scene:
    seed: int
    objects: list[SceneObject]
    ground_name: str
    ground_color: tuple[float, float, float]
    sky_name: str
    sky_colors: tuple[tuple[float, float, float], tuple[float, float, float]]
    camera_position: np.ndarray
    camera_target: np.ndarray
    fov_deg: float
    sun_direction: np.ndarray      # unit vector pointing towards the sun
    ambient: float
    extra: dict = field(default_factory=dict)


def _jitter(rng: np.random.Generator, rgb, amount: float):
    return tuple(float(np.clip(c + rng.uniform(-amount, amount), 0.0, 1.0)) for c in rgb)


def sample_scene(seed: int) -> Scene:
    rng = np.random.default_rng(seed)
    n_objects = int(rng.integers(1, 5))
    objects: list[SceneObject] = []
    attempts = 0
    while len(objects) < n_objects and attempts < 200:
        attempts += 1
        kind = KINDS[int(rng.integers(len(KINDS)))]
        color_name = list(COLORS)[int(rng.integers(len(COLORS)))]
        size = float(rng.uniform(0.45, 0.95))
        if kind == "sphere":
            height = 2 * size
        elif kind == "cube":
            height = 2 * size
        elif kind == "cylinder":
            height = float(rng.uniform(0.8, 2.2))
        else:
            height = float(rng.uniform(1.1, 2.3))
        r = float(np.sqrt(rng.uniform(0, 1)) * 3.2)
        a = float(rng.uniform(0, 2 * math.pi))
        pos = (r * math.cos(a), r * math.sin(a))
        obj = SceneObject(kind, color_name, _jitter(rng, COLORS[color_name], 0.05), bool(rng.uniform() < 0.4),
                          pos, size, height, float(rng.uniform(0, math.pi / 2)))
        if all(math.dist(pos, o.position) > obj.footprint + o.footprint + 0.15 for o in objects):
            objects.append(obj)

    ground_name = list(GROUNDS)[int(rng.integers(len(GROUNDS)))]
    sky_name = list(SKIES)[int(rng.integers(len(SKIES)))]
    dist = float(rng.uniform(7.5, 11.0))
    elev = math.radians(float(rng.uniform(14, 38)))
    azim = float(rng.uniform(0, 2 * math.pi))
    cam = np.array([dist * math.cos(elev) * math.cos(azim), dist * math.sin(elev), dist * math.cos(elev) * math.sin(azim)])
    target = np.array([rng.uniform(-0.4, 0.4), rng.uniform(0.3, 0.8), rng.uniform(-0.4, 0.4)])
    sun_elev = math.radians(float(rng.uniform(30, 70)))
    sun_azim = float(rng.uniform(0, 2 * math.pi))
    sun = np.array([math.cos(sun_elev) * math.cos(sun_azim), math.sin(sun_elev), math.cos(sun_elev) * math.sin(sun_azim)])
    return Scene(seed, objects, ground_name, _jitter(rng, GROUNDS[ground_name], 0.04), sky_name,
                 tuple(_jitter(rng, c, 0.03) for c in SKIES[sky_name]), cam, target,
                 float(rng.uniform(45, 55)), sun, float(rng.uniform(0.25, 0.4)))
