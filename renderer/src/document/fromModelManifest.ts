// Maps a model package manifest ("4m-studio.model/1", models/zoo/<id>/manifest.json) onto the
// DocumentManifest. Reads only the fields it needs, so the registry can grow freely.
import { z } from 'zod';
import type { DocumentManifest, ModalityManifest } from './manifest';

const modelManifestSchema = z.object({
  id: z.string().min(1),
  imageSize: z.number().int().positive(),
  modalities: z.array(
    z.object({
      name: z.string().min(1),
      displayName: z.string().min(1).max(60).optional(),
      type: z.enum(['img', 'seq', 'ref']),
      domain: z.string(),
      /** [rows, cols], 4M's (H, W) order. */
      grid: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
      /** false: the model cannot read it as a condition / write it as a target; absent = it can. */
      input: z.boolean().optional(),
      output: z.boolean().optional(),
      /** Objects (SAM) as a condition: how many objects a painting of it gives the model. */
      maxObjects: z.number().int().min(0).max(64).optional(),
    }),
  ),
  classes: z.array(z.object({ id: z.number().int().min(0).max(254), name: z.string(), color: z.tuple([z.number(), z.number(), z.number()]) })).optional(),
  /** The labels a box may carry (an official model's COCO classes); absent = free words. */
  boxLabels: z.array(z.string().min(1).max(60)).max(1000).optional(),
});

// Known domains, in the order the layer panel lists them.
const DOMAIN_ORDER = ['rgb', 'depth', 'normal', 'edge', 'canny_edge', 'sam_edge', 'semseg', 'sam_instance', 'det', 'caption', 'color_palette', 'metadata'];
// Official 4M models name their edge layers canny_edge and sam_edge.
const ONE_CHANNEL = new Set(['depth', 'edge', 'canny_edge', 'sam_edge']);

export function documentManifestFromModel(json: unknown): DocumentManifest {
  const parsed = modelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`model manifest: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  const model = parsed.data;
  const grids = model.modalities.flatMap((m) => (m.type === 'img' && m.grid ? [m.grid] : []));
  const grid = grids[0];
  if (!grid) throw new Error('model manifest: modalities: expected at least one image modality with a grid');
  if (grids.some((g) => g[0] !== grid[0] || g[1] !== grid[1])) throw new Error('model manifest: modalities: expected one token grid for all image modalities');
  const rgb = model.modalities.find((m) => m.domain === 'rgb')?.name;
  const rank = (domain: string): number => {
    const i = DOMAIN_ORDER.indexOf(domain);
    return i < 0 ? DOMAIN_ORDER.length : i;
  };
  const sorted = [...model.modalities].sort((a, b) => rank(a.domain) - rank(b.domain));
  const classes = [...(model.classes ?? [])].sort((a, b) => a.id - b.id);
  if (classes.some((c, i) => c.id !== i)) throw new Error('model manifest: classes: expected ids 0..n-1 without gaps');
  const modalities = sorted.map((m): ModalityManifest => ({
    ...modalityOf(m),
    ...(m.displayName ? { label: m.displayName } : {}),
    // Only the limits are written, so documents of unlimited models stay as they were.
    ...(m.input === false ? { canCondition: false } : {}),
    ...(m.output === false ? { canGenerate: false } : {}),
    ...(m.maxObjects !== undefined ? { maxObjects: m.maxObjects } : {}),
  }));
  return { modelId: model.id, width: model.imageSize, height: model.imageSize, tokenRows: grid[0], tokenCols: grid[1], modalities };

  function modalityOf(m: (typeof sorted)[number]): ModalityManifest {
    // Until a generation says otherwise, every other modality is assumed derived from RGB.
    const derivedFrom = rgb && m.name !== rgb ? [rgb] : [];
    if (m.type === 'img') {
      if (m.domain === 'semseg') {
        return { id: m.name, kind: 'segmentation', classes: classes.map((c) => ({ name: c.name, color: [c.color[0], c.color[1], c.color[2]] })), derivedFrom };
      }
      return { id: m.name, kind: 'image', channels: ONE_CHANNEL.has(m.domain) ? 1 : 3, derivedFrom };
    }
    // A picture reference (4M-21's tok_*_global): 16 tokens set from a picture; never derived by default.
    if (m.type === 'ref') return { id: m.name, kind: 'reference', derivedFrom: [] };
    if (m.domain === 'det') return { id: m.name, kind: 'boxes', derivedFrom, ...(model.boxLabels?.length ? { labels: [...model.boxLabels] } : {}) };
    if (m.domain === 'color_palette') return { id: m.name, kind: 'palette', derivedFrom };
    // Caption, and metadata ("Image controls"): a text layer holding 4M's text; the inspector shows metadata as controls.
    return { id: m.name, kind: 'text', derivedFrom };
  }
}
