// The region-mask overlay: the token grid (so artists see what a token covers), the selected
// tokens tinted while they are being marked (see maskTint.ts), and their outline. Drawn for the
// active layer only.
import Konva from 'konva';
import type { DocumentManifest } from '../document';
import { cellEdge, tokenMaskOutline } from '../tools';

export class MaskAdapter {
  readonly node = new Konva.Group({ listening: false });

  constructor(private readonly manifest: DocumentManifest) {}

  update(mask: Uint8Array | null, showGrid: boolean, scale: number, tint = true): void {
    this.node.destroyChildren();
    const m = this.manifest;
    const grid = { width: m.width, height: m.height, cols: m.tokenCols, rows: m.tokenRows };
    if (showGrid || mask) {
      const lines = new Konva.Shape({
        stroke: 'rgba(255,255,255,0.16)',
        strokeWidth: 1 / scale,
        sceneFunc: (ctx, shape) => {
          ctx.beginPath();
          for (let c = 1; c < grid.cols; c++) {
            const x = cellEdge(c, grid.width, grid.cols);
            ctx.moveTo(x, 0);
            ctx.lineTo(x, grid.height);
          }
          for (let r = 1; r < grid.rows; r++) {
            const y = cellEdge(r, grid.height, grid.rows);
            ctx.moveTo(0, y);
            ctx.lineTo(grid.width, y);
          }
          ctx.strokeShape(shape);
        },
      });
      this.node.add(lines);
    }
    if (!mask) return;
    for (let r = 0; tint && r < grid.rows; r++) {
      for (let c = 0; c < grid.cols; c++) {
        if (!mask[r * grid.cols + c]) continue;
        const x = cellEdge(c, grid.width, grid.cols);
        const y = cellEdge(r, grid.height, grid.rows);
        const w = cellEdge(c + 1, grid.width, grid.cols) - x;
        const h = cellEdge(r + 1, grid.height, grid.rows) - y;
        this.node.add(new Konva.Rect({ x, y, width: w, height: h, fill: 'rgba(255, 64, 129, 0.35)' }));
      }
    }
    const outline = tokenMaskOutline(mask, grid);
    this.node.add(
      new Konva.Shape({
        stroke: '#ff4081',
        strokeWidth: 2 / scale,
        sceneFunc: (ctx, shape) => {
          ctx.beginPath();
          for (const s of outline) {
            ctx.moveTo(s.x0, s.y0);
            ctx.lineTo(s.x1, s.y1);
          }
          ctx.strokeShape(shape);
        },
      }),
    );
  }
}
