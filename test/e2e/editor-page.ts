import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir, openStudio, type StudioSession } from './browser';

/**
 * The editor in Chromium against the built harness, once its inference host has opened the model
 * (it opens the model first; on a busy machine that takes more than 20 s). A host that never gets
 * ready closes the browser and harness before the error reaches the suite.
 */
export async function openEditor(viewport: { width: number; height: number }, options: { env?: Record<string, string> } = {}): Promise<{ studio: StudioSession; editor: EditorPage }> {
  const studio = await openStudio(viewport, options);
  try {
    await studio.page.getByText(/Inference host: ready/).waitFor({ timeout: 90_000 });
  } catch (error) {
    await studio.close();
    throw error;
  }
  return { studio, editor: new EditorPage(studio.page) };
}

/** Helpers for driving the editor: document pixels ↔ screen points, canvas pixel reads. */
export class EditorPage {
  constructor(readonly page: Page) {}

  /** The canvas size as the editor shows it: the Layers heading's pixels and the footer's token grid ("224 × 224 px, 14 × 14 tokens"). */
  async canvasSize(): Promise<string> {
    const px = (await this.page.getByTestId('layers-canvas-size').textContent())?.replace(/^·\s*/, '') ?? '';
    return `${px}, ${(await this.page.getByTestId('canvas-grid').textContent()) ?? ''}`;
  }

  /** Saves the project under `name` through the Save button; returns the downloaded file's path. */
  async save(name: string): Promise<string> {
    await this.page.getByTestId('project-name').fill(name);
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('save-project').click()]);
    const path = join(artifactsDir, `${name}.4mproj`);
    await download.saveAs(path);
    return path;
  }

  async placement(): Promise<{ left: number; top: number; x: number; y: number; scale: number }> {
    const canvas = this.page.getByTestId('editor-canvas');
    const attr = (await canvas.getAttribute('data-placement')) ?? '0,0,1';
    const [x = 0, y = 0, scale = 1] = attr.split(',').map(Number);
    const box = await canvas.boundingBox();
    if (!box) throw new Error('editor canvas is not visible');
    return { left: box.x, top: box.y, x, y, scale };
  }

  /** Screen point of document pixel (dx, dy). */
  async point(dx: number, dy: number): Promise<{ x: number; y: number }> {
    const p = await this.placement();
    return { x: p.left + p.x + dx * p.scale, y: p.top + p.y + dy * p.scale };
  }

  async drag(from: [number, number], to: [number, number], steps = 12, modifiers: { alt?: boolean } = {}): Promise<void> {
    const a = await this.point(...from);
    const b = await this.point(...to);
    if (modifiers.alt) await this.page.keyboard.down('Alt');
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x, b.y, { steps });
    await this.page.mouse.up();
    if (modifiers.alt) await this.page.keyboard.up('Alt');
  }

  /**
   * RGBA of the composited pixel layer (the first Konva canvas) at document pixel (dx, dy), read
   * once the canvas is settled: the same placement and size over two animation frames (a panel
   * that changes height resizes the canvas, and Konva redraws on the next frame).
   */
  async pixel(dx: number, dy: number): Promise<number[]> {
    return this.page.evaluate(async ([dx, dy]) => {
      const host = document.querySelector<HTMLElement>('[data-testid="editor-canvas"]');
      const canvas = host?.querySelector('canvas');
      const ctx = canvas?.getContext('2d');
      if (!host || !canvas || !ctx) throw new Error('no Konva canvas');
      const frame = (): Promise<void> => new Promise((done) => requestAnimationFrame(() => done()));
      const state = (): string => `${host.dataset['placement'] ?? ''}|${canvas.width}x${canvas.height}|${canvas.clientWidth}x${canvas.clientHeight}`;
      let last = '';
      for (let i = 0; i < 60; i++) {
        await frame();
        await frame();
        const now = state();
        if (now === last) break;
        last = now;
      }
      const [x = 0, y = 0, scale = 1] = (host.dataset['placement'] ?? '0,0,1').split(',').map(Number);
      // The screen pixel holding the document pixel's centre (floor: at 100 % a centre is at .5, and rounding it up read the next pixel).
      const sx = Math.floor(x + ((dx as number) + 0.5) * scale);
      const sy = Math.floor(y + ((dy as number) + 0.5) * scale);
      const ratio = canvas.width / canvas.clientWidth;
      return Array.from(ctx.getImageData(Math.floor(sx * ratio), Math.floor(sy * ratio), 1, 1).data);
    }, [dx, dy]);
  }

  /**
   * Alpha of the overlay layer (the second Konva canvas: the region mask, boxes, the brush cursor)
   * at document pixel (dx, dy): 0 where nothing is drawn over the picture.
   */
  async overlayAlpha(dx: number, dy: number): Promise<number> {
    return this.page.evaluate(([dx, dy]) => {
      const host = document.querySelector<HTMLElement>('[data-testid="editor-canvas"]');
      const canvas = host?.querySelectorAll('canvas')[1];
      const ctx = canvas?.getContext('2d');
      if (!host || !canvas || !ctx) throw new Error('no Konva overlay canvas');
      const [x = 0, y = 0, scale = 1] = (host.dataset['placement'] ?? '0,0,1').split(',').map(Number);
      const ratio = canvas.width / canvas.clientWidth;
      const sx = Math.floor((x + ((dx as number) + 0.5) * scale) * ratio);
      const sy = Math.floor((y + ((dy as number) + 0.5) * scale) * ratio);
      return ctx.getImageData(sx, sy, 1, 1).data[3] ?? 0;
    }, [dx, dy]);
  }

  async selectLayer(id: string): Promise<void> {
    await this.page.getByTestId(`select-${id}`).click();
  }

  async syncOf(id: string): Promise<string> {
    return ((await this.page.getByTestId(`sync-${id}`).textContent()) ?? '').trim();
  }
}
