"""Analytic ray casting of a Scene into exactly aligned modalities (numpy, vectorized over rays).

Outputs at `size`×`size`: RGB (anti-aliased with 4 jittered sub-samples), z-depth, camera-space
normals, semantic classes, instance ids and edges (instance boundaries, depth jumps, creases).
"""
from __future__ import annotations

import math

import numpy as np

from .scene import CLASSES, Scene, SceneObject

DEPTH_MAX = 60.0   # sky and far ground are clamped here (metres)
DEPTH_MIN = 0.5
_EPS = 1e-4


def _intersect_sphere(o, d, obj: SceneObject):
    c = np.array([obj.position[0], obj.size, obj.position[1]])
    oc = o - c
    b = np.einsum("ij,ij->i", oc, d)
    cc = np.einsum("ij,ij->i", oc, oc) - obj.size ** 2
    disc = b * b - cc
    t = np.full(len(d), np.inf)
    ok = disc > 0
    sq = np.sqrt(np.where(ok, disc, 0))
    t0, t1 = -b - sq, -b + sq
    tt = np.where(t0 > _EPS, t0, np.where(t1 > _EPS, t1, np.inf))
    t[ok] = tt[ok]
    n = (o + t[:, None] * d - c) / obj.size
    return t, n


def _rot_y(v, yaw):
    c, s = math.cos(yaw), math.sin(yaw)
    x, y, z = v[:, 0], v[:, 1], v[:, 2]
    return np.stack([c * x + s * z, y, -s * x + c * z], axis=1)


def _intersect_box(o, d, obj: SceneObject):
    s = obj.size
    center = np.array([obj.position[0], s, obj.position[1]])
    lo_o = _rot_y(o - center, -obj.yaw)
    lo_d = _rot_y(d, -obj.yaw)
    inv = 1.0 / np.where(np.abs(lo_d) < 1e-12, 1e-12, lo_d)
    t1 = (-s - lo_o) * inv
    t2 = (s - lo_o) * inv
    tmin_axes = np.minimum(t1, t2)
    tmax_axes = np.maximum(t1, t2)
    tnear = tmin_axes.max(axis=1)
    tfar = tmax_axes.min(axis=1)
    hit = (tnear <= tfar) & (tfar > _EPS)
    t = np.where(hit, np.where(tnear > _EPS, tnear, tfar), np.inf)
    axis = np.argmax(tmin_axes, axis=1)
    n_local = np.zeros_like(o)
    n_local[np.arange(len(o)), axis] = -np.sign(lo_d[np.arange(len(o)), axis])
    return t, _rot_y(n_local, obj.yaw)


def _intersect_cylinder(o, d, obj: SceneObject):
    r, h = obj.size, obj.height
    px, pz = obj.position
    ox, oy, oz = o[:, 0] - px, o[:, 1], o[:, 2] - pz
    dx, dy, dz = d[:, 0], d[:, 1], d[:, 2]
    a = dx * dx + dz * dz
    b = ox * dx + oz * dz
    c = ox * ox + oz * oz - r * r
    disc = b * b - a * c
    ok = (disc > 0) & (a > 1e-12)
    sq = np.sqrt(np.where(ok, disc, 0))
    a_safe = np.where(a > 1e-12, a, 1)
    t_side = np.full(len(d), np.inf)
    for tc in ((-b - sq) / a_safe, (-b + sq) / a_safe):
        y = oy + tc * dy
        good = ok & (tc > _EPS) & (y >= 0) & (y <= h) & (tc < t_side)
        t_side = np.where(good, tc, t_side)
    dy_safe = np.where(np.abs(dy) < 1e-12, 1e-12, dy)
    t_cap = np.full(len(d), np.inf)
    for yc in (h, 0.0):
        tc = (yc - oy) / dy_safe
        x, z = ox + tc * dx, oz + tc * dz
        good = (tc > _EPS) & (x * x + z * z <= r * r) & (tc < t_cap)
        t_cap = np.where(good, tc, t_cap)
    t = np.minimum(t_side, t_cap)
    p = o + t[:, None] * d
    n_side = np.stack([(p[:, 0] - px) / r, np.zeros(len(d)), (p[:, 2] - pz) / r], axis=1)
    n_cap = np.zeros_like(o)
    n_cap[:, 1] = np.where(p[:, 1] > h / 2, 1.0, -1.0)
    n = np.where((t_cap < t_side)[:, None], n_cap, n_side)
    return t, n


def _intersect_cone(o, d, obj: SceneObject):
    r, h = obj.size, obj.height
    px, pz = obj.position
    k = (r / h) ** 2
    ox, oy, oz = o[:, 0] - px, o[:, 1] - h, o[:, 2] - pz   # apex at origin, opening downwards
    dx, dy, dz = d[:, 0], d[:, 1], d[:, 2]
    a = dx * dx + dz * dz - k * dy * dy
    b = ox * dx + oz * dz - k * oy * dy
    c = ox * ox + oz * oz - k * oy * oy
    disc = b * b - a * c
    ok = (disc > 0) & (np.abs(a) > 1e-12)
    sq = np.sqrt(np.where(ok, disc, 0))
    a_safe = np.where(np.abs(a) > 1e-12, a, 1)
    t_side = np.full(len(d), np.inf)
    for tc in ((-b - sq) / a_safe, (-b + sq) / a_safe):
        y = oy + tc * dy
        good = ok & (tc > _EPS) & (y <= 0) & (y >= -h) & (tc < t_side)
        t_side = np.where(good, tc, t_side)
    dy_safe = np.where(np.abs(dy) < 1e-12, 1e-12, dy)
    tb = (-h - oy) / dy_safe
    xb, zb = ox + tb * dx, oz + tb * dz
    t_base = np.where((tb > _EPS) & (xb * xb + zb * zb <= r * r), tb, np.inf)
    t = np.minimum(t_side, t_base)
    p = o + t[:, None] * d
    rx, rz = p[:, 0] - px, p[:, 2] - pz
    with np.errstate(invalid="ignore", divide="ignore"):   # rays that miss have p = inf
        rad = np.sqrt(rx * rx + rz * rz) + 1e-12
        n_side = np.stack([rx / rad, np.full(len(d), r / h), rz / rad], axis=1)
        n_side /= np.linalg.norm(n_side, axis=1, keepdims=True)
    n_base = np.zeros_like(o)
    n_base[:, 1] = -1.0
    n = np.where((t_base < t_side)[:, None], n_base, n_side)
    return t, n


_INTERSECT = {"sphere": _intersect_sphere, "cube": _intersect_box, "cylinder": _intersect_cylinder, "cone": _intersect_cone}


def _camera_basis(scene: Scene):
    f = scene.camera_target - scene.camera_position
    f = f / np.linalg.norm(f)
    r = np.cross(f, np.array([0.0, 1.0, 0.0]))
    r /= np.linalg.norm(r)
    u = np.cross(r, f)
    return f, r, u


def _rays(scene: Scene, size: int, offset: tuple[float, float]):
    f, r, u = _camera_basis(scene)
    tan = math.tan(math.radians(scene.fov_deg) / 2)
    idx = (np.arange(size) + 0.5)
    cols = ((idx + offset[0]) / size * 2 - 1) * tan
    rows = (1 - (idx + offset[1]) / size * 2) * tan
    uu, vv = np.meshgrid(cols, rows)
    d = f[None, :] + uu.reshape(-1, 1) * r[None, :] + vv.reshape(-1, 1) * u[None, :]
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    o = np.broadcast_to(scene.camera_position, d.shape).copy()
    return o, d


def _cast(scene: Scene, o, d):
    """Nearest hit per ray: t, world normal, instance id (0 sky, 1 ground, 2+ objects)."""
    n_rays = len(d)
    t = np.full(n_rays, np.inf)
    normal = np.zeros((n_rays, 3))
    inst = np.zeros(n_rays, dtype=np.int32)
    dy = d[:, 1]
    tg = np.where(dy < -1e-9, -o[:, 1] / np.where(dy < -1e-9, dy, -1), np.inf)
    hit = tg < t
    t[hit], inst[hit] = tg[hit], 1
    normal[hit] = (0.0, 1.0, 0.0)
    for i, obj in enumerate(scene.objects):
        ti, ni = _INTERSECT[obj.kind](o, d, obj)
        hit = ti < t
        t[hit], inst[hit] = ti[hit], i + 2
        normal[hit] = ni[hit]
    return t, normal, inst


def _shade(scene: Scene, o, d, t, normal, inst):
    n_rays = len(d)
    zen, hor = (np.array(c) for c in scene.sky_colors)
    w = np.clip(d[:, 1] * 2.5, 0, 1)[:, None]
    rgb = hor[None] * (1 - w) + zen[None] * w
    solid = inst > 0
    if not solid.any():
        return rgb
    p = o[solid] + t[solid, None] * d[solid]
    n = normal[solid]
    # Shadows: any object between the point and the sun.
    so = p + n * 2e-3
    sd = np.broadcast_to(scene.sun_direction, so.shape)
    lit = np.ones(len(p), dtype=bool)
    for obj in scene.objects:
        ts, _ = _INTERSECT[obj.kind](so, sd, obj)
        lit &= ~np.isfinite(ts)
    diffuse = np.clip(n @ scene.sun_direction, 0, 1) * lit
    base = np.empty((len(p), 3))
    ids = inst[solid]
    base[ids == 1] = scene.ground_color
    shiny = np.zeros(len(p), dtype=bool)
    for i, obj in enumerate(scene.objects):
        sel = ids == i + 2
        base[sel] = obj.color
        shiny[sel] = obj.shiny
    col = base * (scene.ambient + (1 - scene.ambient) * diffuse)[:, None]
    refl = sd - 2 * (np.einsum("ij,ij->i", n, sd))[:, None] * n
    spec = np.clip(np.einsum("ij,ij->i", refl, d[solid]), 0, 1) ** 40 * lit
    col += (0.6 * spec * shiny)[:, None]
    # Distance haze on the ground so the horizon blends into the sky.
    haze = (1 - np.exp(-t[solid] / 45.0))[:, None] * (ids == 1)[:, None]
    col = col * (1 - haze) + hor[None] * haze
    rgb[solid] = col
    return rgb


def _edges(inst, depth, normals):
    e = np.zeros(inst.shape, dtype=bool)
    for axis in (0, 1):
        a = [slice(None)] * 2
        b = [slice(None)] * 2
        a[axis], b[axis] = slice(0, -1), slice(1, None)
        a, b = tuple(a), tuple(b)
        diff = inst[a] != inst[b]
        rel = np.abs(depth[a] - depth[b]) / np.minimum(depth[a], depth[b])
        diff |= (rel > 0.06) & (inst[a] > 1)
        cos = np.einsum("ijk,ijk->ij", normals[a], normals[b])
        diff |= (cos < math.cos(math.radians(30))) & (inst[a] > 1) & (inst[a] == inst[b])
        e[a] |= diff
    return e


def render(scene: Scene, size: int = 128) -> dict[str, np.ndarray]:
    f, r, u = _camera_basis(scene)
    o, d = _rays(scene, size, (0.0, 0.0))
    t, normal, inst = _cast(scene, o, d)
    depth = np.clip(np.where(np.isfinite(t), t * (d @ f), DEPTH_MAX), DEPTH_MIN, DEPTH_MAX)
    cam_n = np.stack([normal @ r, normal @ u, -(normal @ f)], axis=1)
    cam_n[inst == 0] = (0.0, 0.0, 1.0)
    rgb = np.zeros((size * size, 3))
    for off in ((-0.25, -0.25), (0.25, -0.25), (-0.25, 0.25), (0.25, 0.25)):
        oj, dj = _rays(scene, size, off)
        tj, nj, ij = _cast(scene, oj, dj)
        rgb += _shade(scene, oj, dj, tj, nj, ij)
    rgb /= 4
    kinds = np.array([0, 1] + [CLASSES.index(o_.kind) for o_ in scene.objects], dtype=np.uint8)
    inst_img = inst.reshape(size, size)
    depth_img = depth.reshape(size, size)
    normal_img = cam_n.reshape(size, size, 3)
    return {
        "rgb": (np.clip(rgb, 0, 1).reshape(size, size, 3) * 255 + 0.5).astype(np.uint8),
        "depth": depth_img.astype(np.float32),
        "normal": ((np.clip(normal_img, -1, 1) + 1) * 127.5 + 0.5).astype(np.uint8),
        "semseg": kinds[inst_img],
        "instance": inst_img.astype(np.uint8),
        "edge": _edges(inst_img, depth_img, normal_img).astype(np.uint8) * 255,
    }
