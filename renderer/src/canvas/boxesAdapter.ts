// The boxes layer: one outlined rectangle and label per box; the selected box shows handles.
import Konva from 'konva';
import type { Box, LayerContent } from '../document';

const HANDLE = 6;

export class BoxesAdapter {
  readonly node = new Konva.Group({ listening: false });

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {}

  /** `scale` keeps strokes and text a constant screen size while the group is scaled. */
  update(content: LayerContent, selectedId: string | null, scale: number): void {
    this.node.destroyChildren();
    if (content.kind !== 'boxes') return;
    for (const box of content.boxes) this.#drawBox(box, box.id === selectedId, scale);
  }

  #drawBox(b: Box, selected: boolean, scale: number): void {
    const x = b.x0 * this.width;
    const y = b.y0 * this.height;
    const w = (b.x1 - b.x0) * this.width;
    const h = (b.y1 - b.y0) * this.height;
    const color = selected ? '#ffd54f' : '#4fc3f7';
    this.node.add(new Konva.Rect({ x, y, width: w, height: h, stroke: color, strokeWidth: 2 / scale }));
    const text = new Konva.Text({ x, y: y - 14 / scale, text: b.label || '(no label)', fontSize: 12 / scale, fill: '#0d1117', padding: 2 / scale });
    this.node.add(new Konva.Rect({ x, y: y - 14 / scale, width: text.width(), height: 14 / scale, fill: color }));
    this.node.add(text);
    if (!selected) return;
    const s = HANDLE / scale;
    for (const [hx, hy] of [[x, y], [x + w / 2, y], [x + w, y], [x + w, y + h / 2], [x + w, y + h], [x + w / 2, y + h], [x, y + h], [x, y + h / 2]] as const) {
      this.node.add(new Konva.Rect({ x: hx - s / 2, y: hy - s / 2, width: s, height: s, fill: '#ffd54f', stroke: '#0d1117', strokeWidth: 1 / scale }));
    }
  }
}
