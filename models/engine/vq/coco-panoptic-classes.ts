/**
 * The official semseg tokenizer's classes: id 0 is void, id c ≥ 1 is COCO panoptic class c − 1
 * (the 80 "things" in COCO category order, then the 53 "stuff" classes), as 4M's data pipeline
 * stores them (panoptic id + 1 in uint8). Names as the COCO panoptic annotations spell them, and a
 * shorter display name for the editor's brushes ("sky-other-merged" → "sky").
 */
const THINGS = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

const STUFF = [
  'banner', 'blanket', 'bridge', 'cardboard', 'counter', 'curtain', 'door-stuff', 'floor-wood', 'flower', 'fruit',
  'gravel', 'house', 'light', 'mirror-stuff', 'net', 'pillow', 'platform', 'playingfield', 'railroad', 'river',
  'road', 'roof', 'sand', 'sea', 'shelf', 'snow', 'stairs', 'tent', 'towel', 'wall-brick',
  'wall-stone', 'wall-tile', 'wall-wood', 'water-other', 'window-blind', 'window-other', 'tree-merged', 'fence-merged', 'ceiling-merged', 'sky-other-merged',
  'cabinet-merged', 'table-merged', 'floor-other-merged', 'pavement-merged', 'mountain-merged', 'grass-merged', 'dirt-merged', 'paper-merged', 'food-other-merged', 'building-other-merged',
  'rock-merged', 'wall-other-merged', 'rug-merged',
] as const;

/** COCO panoptic's 133 class names in its contiguous order (index = semseg id − 1). */
export const COCO_PANOPTIC_CLASSES: readonly string[] = [...THINGS, ...STUFF];

/** "sky-other-merged" → "sky", "wall-brick" → "wall (brick)", "door-stuff" → "door"; things unchanged. */
export function cocoDisplayName(name: string): string {
  const base = name.replace(/-merged$/, '').replace(/-(other|stuff)$/, '');
  const [head, detail] = base.split('-');
  return detail ? `${head} (${detail})` : base;
}

/** The editor's name of official semseg class `id` (0 = void); undefined past COCO's 133. */
export function officialSemsegClassName(id: number): string | undefined {
  if (id === 0) return 'void';
  const name = COCO_PANOPTIC_CLASSES[id - 1];
  return name === undefined ? undefined : cocoDisplayName(name);
}
