/**
 * The editor's view of an official 4M model folder (preload/contract/model-layout.ts): which
 * layers it offers and what they are called. A layer is offered only when the folder can feed it
 * or decode it: the RGB pixel input (and RGB out once a tokenizer decodes tok_rgb), each picture
 * modality whose tokenizer folder is present, and with the WordPiece file the caption, the boxes
 * (det, labelled with the file's COCO class names), the colour palette and the image controls
 * (4M-21's metadata), each when the file holds the words the engine writes and reads for it
 * (official-sequence.ts), and 4M-21's global embeddings as picture references (16 tokens the FM
 * reads from a picture; preload/contract/reference.ts), and 4M-21's SAM instances as the
 * "Objects (SAM)" picture layer when the SAM-instance tokenizer and the WordPiece file are there to
 * decode them (preload/contract/sam-instance.ts; a condition too when the FM reads sam_instance). Feature maps (CLIP, DINOv2, ImageBind) and poses
 * are left out. Pure: reads the FM's modality table and the WordPiece vocabulary only.
 */
import type { LayoutModality, ModelLayout } from '../../../preload/contract/model-layout';
import type { OfficialModality } from '../fm/official-modalities';
import { COCO_PANOPTIC_CLASSES, officialSemsegClassName } from '../vq/coco-panoptic-classes';
import { officialSemsegPalette } from '../vq/official-vqvae';
import { officialSamMaxObjects, officialSequenceSupport, type OfficialTextVocabulary } from './official-sequence';
import type { WordPieceTokenizer } from '../../tokenizers/text';
import { isReferenceModality, REFERENCE_MODALITIES } from '../../../preload/contract/reference';
import { SAM_INSTANCE_LAYER, SAM_INSTANCE_NAME } from '../../../preload/contract/sam-instance';
import { SAM_PICTURE_SIDE } from '../vq/official-sam-instance';

/** Artist-facing names of the picture domains an official model can show, in panel order. */
const PICTURE_NAMES: Readonly<Record<string, string>> = {
  rgb: 'RGB',
  depth: 'Depth',
  normal: 'Surface normals',
  canny_edge: 'Canny edges',
  sam_edge: 'SAM edges',
  semseg: 'Segmentation (COCO)',
};

/** Sequence layers the editor can fill and show (text, boxes, swatches), in panel order. */
const SEQUENCE_NAMES: Readonly<Record<string, string>> = { det: 'Boxes (COCO)', caption: 'Caption', color_palette: 'Colour palette', metadata: 'Image controls' };

/** The editor's name for an FM modality: "tok_rgb@224" → "RGB", "det" → "Boxes (COCO)"; others as they are. */
export function officialLayerName(name: string): string {
  if (name === SAM_INSTANCE_LAYER) return SAM_INSTANCE_NAME;
  return SEQUENCE_NAMES[name] ?? referenceName(name) ?? PICTURE_NAMES[officialDomain(name)] ?? name;
}

/** "tok_dinov2_global" → "DINOv2 reference"; undefined for any other modality. */
function referenceName(name: string): string | undefined {
  return isReferenceModality(name) ? `${REFERENCE_MODALITIES[name]} reference` : undefined;
}

/**
 * A message for a person: FM modality names ("tok_rgb@224", "det") become the layer names the
 * editor shows ("RGB", "Boxes (COCO)"), as everywhere else in the editor; file paths keep their
 * folder names.
 */
export function withLayerNames(message: string): string {
  return message
    .replace(/(^|[^/\\\w])(tok_(?:dinov2|imagebind)_global)(?![\w/\\])/g, (_, before: string, name: string) => `${before}${referenceName(name) ?? name}`)
    .replace(/(^|[^/\\\w])tok_([a-z0-9_]+)@\d+\b/g, (_, before: string, domain: string) => `${before}${PICTURE_NAMES[domain] ?? domain.replace(/_/g, ' ')}`)
    .replace(/(^|[^/\\\w])(det|color_palette|metadata|sam_instance)(?![\w/\\])/g, (_, before: string, name: string) => `${before}${officialLayerName(name)}`);
}

/** "tok_semseg@224" → "semseg"; "rgb@224" → "rgb". */
export function officialDomain(name: string): string {
  return name.replace(/^tok_/, '').replace(/@\d+$/, '');
}

export interface LayoutSource {
  readonly fm: { readonly table: readonly OfficialModality[]; readonly config: { readonly image_size?: number } };
  /** Tokenizers by the FM modality they decode (VQ-VAE or DiVAE); a VQ-VAE's `layout.labels`: classes of a segmentation tokenizer. */
  readonly tokenizers: ReadonlyMap<string, object>;
  /** 4M's WordPiece file, when the folder has it. */
  readonly text: (OfficialTextVocabulary & Pick<WordPieceTokenizer, 'encode'>) | undefined;
  /** The SAM-instance mask tokenizer (tokenizers/sam-instance_1k_64/), when the folder has it. */
  readonly samInstance?: object;
}

/**
 * The picture size a model is worked at (the editor's canvas, the CLI's `rgb`): the config's
 * image_size, unless every picture the FM predicts is at one other size. That is 4M's
 * super-resolution model (image_size 224, predicting only tok_*@448): it is worked at 448, where
 * it generates, and its 224 inputs are conditions derived from the 448 picture
 * (official-coarse-picture.ts).
 */
export function officialWorkingSize(fm: { readonly table: readonly OfficialModality[]; readonly config: { readonly image_size?: number } }): number {
  const size = fm.config.image_size ?? 224;
  const predicted = new Set(fm.table.filter((m) => m.output && m.kind === 'image-tokens' && m.grid).map((m) => (m.grid as readonly number[])[0] as number * m.patchSize));
  return predicted.size === 1 && !predicted.has(size) ? ([...predicted][0] as number) : size;
}

/**
 * The layer the editor shows for each FM modality it offers: the pixel input stands for its
 * domain (rgb@224 is the RGB layer, generated through tok_rgb@224). The canvas is the model's
 * working size (448 × 448 on a 28 × 28 grid for the SR model).
 */
export function officialLayout(id: string, model: LayoutSource): ModelLayout {
  const { table } = model.fm;
  const size = officialWorkingSize(model.fm);
  const byName = new Map(table.map((m) => [m.name, m]));
  const modalities: LayoutModality[] = [];
  let classes: ModelLayout['classes'];
  let boxLabels: string[] | undefined;
  const picture = (name: string, domain: string, grid: readonly [number, number], can: Can): LayoutModality => ({
    name, displayName: PICTURE_NAMES[domain] ?? domain, type: 'img', domain, grid: [grid[0], grid[1]], ...limits(can),
  });
  const pixels = byName.get(`rgb@${size}`);
  const rgbTokens = byName.get(`tok_rgb@${size}`);
  const rgbDecodes = rgbTokens?.output === true && model.tokenizers.has(rgbTokens.name);
  // The RGB layer is read through its pixels (or its tokens) and written through its tokens (domains_out). A folder
  // missing the RGB tokenizer still offers generate: the host then says where the tokenizer goes.
  const rgbCan = { input: pixels?.input === true || rgbTokens?.input === true, output: rgbTokens?.output === true };
  if (pixels?.input && pixels.grid) modalities.push(picture(pixels.name, 'rgb', pixels.grid, rgbCan));
  else if (rgbDecodes && rgbTokens.grid) modalities.push(picture(rgbTokens.name, 'rgb', rgbTokens.grid, rgbCan));
  const grid = modalities[0]?.grid ?? rgbTokens?.grid;
  for (const m of table) {
    const domain = officialDomain(m.name);
    if (m.kind !== 'image-tokens' || domain === 'rgb' || !m.output || !PICTURE_NAMES[domain] || !m.grid) continue;
    const tok = model.tokenizers.get(m.name);
    // One token grid for every layer (the canvas's): a picture at another resolution is left out.
    if (!tok || (grid && (m.grid[0] !== grid[0] || m.grid[1] !== grid[1]))) continue;
    modalities.push(picture(m.name, domain, m.grid, { input: m.input, output: true }));
    const labels = labelsOf(tok);
    if (domain === 'semseg' && labels !== undefined) classes = semsegClasses(labels);
  }
  if (model.text !== undefined) {
    const support = officialSequenceSupport(model.text);
    const writable: Readonly<Record<string, boolean>> = { caption: true, det: support.boxLabels !== undefined, color_palette: support.palette, metadata: support.metadata };
    for (const [name, displayName] of Object.entries(SEQUENCE_NAMES)) {
      const m = byName.get(name);
      if (!m || m.kind !== 'sequence' || !(m.input || m.output) || !writable[name]) continue;
      modalities.push({ name, displayName, type: 'seq', domain: name, ...limits(m) });
      if (name === 'det') boxLabels = support.boxLabels;
    }
  }
  // Picture references (4M-21's global embeddings): tokens only, set from a picture by the FM itself, so
  // offered when the FM reads a picture (to set one) or can take them as a condition.
  for (const m of table) {
    if (!isReferenceModality(m.name) || m.kind !== 'image-tokens' || !(m.input || m.output)) continue;
    const readable = m.output && pixels?.input === true;
    if (!m.input && !readable) continue;
    modalities.push({ name: m.name, displayName: referenceName(m.name) as string, type: 'ref', domain: m.name, ...limits(m) });
  }
  // SAM instances: a sequence the host decodes into masks and paints as a picture at the canvas size,
  // so only with its tokenizer and the words, at the size the decoder places boxes on. A condition
  // when the FM reads sam_instance: the host reads the painted masks back through the tokenizer's
  // encoder (official-sam-condition.ts).
  const sam = byName.get(SAM_INSTANCE_LAYER);
  if (sam?.kind === 'sequence' && sam.output && model.samInstance && model.text && grid && size === SAM_PICTURE_SIDE) {
    // As a condition, how many painted objects its sequence holds (the object brush stops there).
    const most = sam.input ? { maxObjects: officialSamMaxObjects(model.text, sam.positions) } : {};
    modalities.push({ name: sam.name, displayName: SAM_INSTANCE_NAME, type: 'img', domain: SAM_INSTANCE_LAYER, grid: [grid[0], grid[1]], ...limits({ input: sam.input, output: true }), ...most });
  }
  if (!modalities.some((m) => m.type === 'img')) {
    throw new Error(`${id}: the model offers no picture layer the editor can show (it needs rgb@${size} among domains_in, or a tokenizer folder for one of its picture outputs)`);
  }
  // Worked at another size than image_size (the SR model): its pictures go as pixels, for the derived 224 condition.
  const asPixels = size !== (model.fm.config.image_size ?? 224);
  return { id, imageSize: size, modalities, ...(classes ? { classes } : {}), ...(boxLabels ? { boxLabels } : {}), ...(asPixels ? { picturesAsPixels: true } : {}) };
}

interface Can {
  readonly input: boolean;
  readonly output: boolean;
}

/** A layer's limits as the layout carries them: only what the model cannot do (absent = it can). */
function limits(can: Can): Pick<LayoutModality, 'input' | 'output'> {
  return { ...(can.input ? {} : { input: false }), ...(can.output ? {} : { output: false }) };
}

/** Classes of a segmentation VQ-VAE (`layout.labels`); undefined for any other tokenizer. */
function labelsOf(tok: object): number | undefined {
  const layout = 'layout' in tok ? (tok.layout as { labels?: unknown } | undefined) : undefined;
  return typeof layout?.labels === 'number' ? layout.labels : undefined;
}

/** The semseg tokenizer's classes in the editor's limits (ids 0…254), coloured as the decoder colours them. */
function semsegClasses(labels: number): NonNullable<ModelLayout['classes']> {
  // COCO panoptic names when the tokenizer has its 134 classes (the released one); numbers otherwise.
  const named = labels === COCO_PANOPTIC_CLASSES.length + 1;
  return officialSemsegPalette(Math.min(labels, 255)).map((c) => ({ id: c.id, name: (named ? officialSemsegClassName(c.id) : undefined) ?? (c.id === 0 ? 'void' : `class ${c.id}`), color: [c.color[0], c.color[1], c.color[2]] }));
}
