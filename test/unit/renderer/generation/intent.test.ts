import { describe, expect, test } from 'vitest';
import { createDocument, DocumentStore, paintPixels, setLayerProps, setMask, setText } from '../../../../renderer/src/document';
import { applyTask, DERIVE_LABEL, deriveProblem, generateButtonLabel, isEmptyCondition, readiness, shownTask, taskAvailability, taskClearsRegion, taskOf, TASKS, taskTool, unavailableTasksNote } from '../../../../renderer/src/generation/intent';
import { limitedManifest, testManifest } from '../document/fixtures';

function store(): DocumentStore {
  return new DocumentStore(createDocument(testManifest()));
}
const rec = (s: DocumentStore, u: Parameters<DocumentStore['apply']>[0]): void => s.apply(u, { history: 'record' });
const roles = (s: DocumentStore): Record<string, string> => Object.fromEntries([...s.state.layers.values()].map((l) => [l.id, l.role]));
const label = (id: string): string => id.toUpperCase();

describe('task presets', () => {
  test('Sketch → picture: segmentation in, RGB out, one undo step; the roles read back as the task', () => {
    const s = store();
    rec(s, applyTask(s.state, 'sketch'));
    expect(roles(s)).toEqual({ rgb: 'generate', depth: 'ignore', semseg: 'condition', det: 'ignore', caption: 'ignore', palette: 'ignore' });
    expect(s.undoLabel).toBe('Task: Sketch → picture');
    expect(taskOf(s.state)).toBe('sketch');
    s.undo();
    expect(Object.values(roles(s)).every((r) => r === 'ignore')).toBe(true);
    expect(taskOf(s.state)).toBeNull();
  });

  test('a caption that says something joins the sketch; an empty one does not', () => {
    const s = store();
    rec(s, setText(s.state, 'caption', 'a red cube'));
    rec(s, applyTask(s.state, 'sketch'));
    expect(roles(s)['caption']).toBe('condition');
    expect(taskOf(s.state)).toBe('sketch');
  });

  test('Photo → all layers, Caption → picture and Fix a region', () => {
    const s = store();
    rec(s, applyTask(s.state, 'photo'));
    expect(roles(s)).toEqual({ rgb: 'condition', depth: 'generate', semseg: 'generate', det: 'generate', caption: 'generate', palette: 'generate' });
    expect(taskOf(s.state)).toBe('photo');
    rec(s, applyTask(s.state, 'caption'));
    expect(roles(s)).toEqual({ rgb: 'generate', depth: 'ignore', semseg: 'ignore', det: 'ignore', caption: 'condition', palette: 'ignore' });
    expect(taskOf(s.state)).toBe('caption');
    rec(s, paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(9)));
    rec(s, applyTask(s.state, 'region'));
    expect(taskOf(s.state)).toBeNull(); // no region marked yet
    const mask = new Uint8Array(16);
    mask[5] = 1;
    rec(s, setMask(s.state, 'rgb', mask));
    expect(taskOf(s.state)).toBe('region');
  });
});

describe('Fix a region before a region is marked', () => {
  test('reads as itself, not as the sketch its roles look like, and Generate waits for a region', () => {
    const s = store();
    rec(s, paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(9)));
    rec(s, paintPixels(s.state, 'semseg', { x: 0, y: 0, w: 4, h: 4 }, new Uint8Array(16)));
    rec(s, applyTask(s.state, 'region'));
    expect(taskOf(s.state)).toBe('sketch'); // the roles alone: RGB from the segmentation
    expect(shownTask(s.state, 'region')).toBe('region');
    expect(readiness(s.state, label, 'region').blocked).toBe('Mark the part of the picture to redo with the region tool (M) first.');
    // Marked: ready, and the roles read as the region task on their own.
    const mask = new Uint8Array(16);
    mask[5] = 1;
    rec(s, setMask(s.state, 'rgb', mask));
    expect(shownTask(s.state, 'region')).toBe('region');
    expect(readiness(s.state, label, 'region').blocked).toBeNull();
  });

  test('an empty picture says to make one first; roles changed by hand drop the preset', () => {
    const s = store();
    rec(s, applyTask(s.state, 'region'));
    expect(shownTask(s.state, 'region')).toBe('region');
    expect(readiness(s.state, label, 'region').blocked).toMatch(/^RGB is empty: import or generate a picture first/);
    rec(s, setLayerProps(s.state, 'depth', { role: 'condition' }));
    expect(shownTask(s.state, 'region')).toBeNull();
    expect(shownTask(s.state, null)).toBe(taskOf(s.state));
  });
});

describe('a whole-picture task after Fix a region', () => {
  /** A picture with a region marked and redone: the state Fix a region leaves behind. */
  function afterRegion(): DocumentStore {
    const s = store();
    rec(s, paintPixels(s.state, 'semseg', { x: 0, y: 0, w: 4, h: 4 }, new Uint8Array(16)));
    rec(s, paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(9)));
    rec(s, applyTask(s.state, 'region'));
    const mask = new Uint8Array(16);
    mask[5] = 1;
    rec(s, setMask(s.state, 'rgb', mask));
    return s;
  }

  test('Sketch → picture clears the region in the same step: it reads as itself, and undo brings the region back', () => {
    const s = afterRegion();
    expect(taskOf(s.state)).toBe('region');
    expect(taskClearsRegion(s.state, 'sketch')).toBe(true);
    // Its roles are the region's own here: without the mask cleared the click recorded nothing and the region stayed.
    const update = applyTask(s.state, 'sketch');
    expect(update.deltas.length).toBeGreaterThan(0);
    rec(s, update);
    expect(s.state.layers.get('rgb')?.mask).toBeNull();
    expect(taskOf(s.state)).toBe('sketch');
    expect(s.undoLabel).toBe('Task: Sketch → picture');
    s.undo();
    expect(s.state.layers.get('rgb')?.mask?.[5]).toBe(1);
    expect(taskOf(s.state)).toBe('region');
  });

  test('Caption → picture clears it too; Fix a region and Photo → all layers keep it', () => {
    const s = afterRegion();
    expect(taskClearsRegion(s.state, 'caption')).toBe(true);
    expect(taskClearsRegion(s.state, 'region')).toBe(false);
    expect(taskClearsRegion(s.state, 'photo')).toBe(false);
    rec(s, setText(s.state, 'caption', 'a red cube'));
    rec(s, applyTask(s.state, 'caption'));
    expect(s.state.layers.get('rgb')?.mask).toBeNull();
    expect(taskOf(s.state)).toBe('caption');
    // Nothing marked: nothing to clear, and no mask delta in the step.
    expect(taskClearsRegion(s.state, 'sketch')).toBe(false);
    expect(applyTask(s.state, 'sketch').deltas.some((d) => d.type === 'mask')).toBe(false);
  });
});

describe('readiness', () => {
  test('nothing to generate: says how to start', () => {
    expect(readiness(store().state, label).blocked).toMatch(/Pick a task/);
  });

  test('every condition empty: blocked with the layer named, not an unconditional run', () => {
    const s = store();
    rec(s, applyTask(s.state, 'sketch'));
    const r = readiness(s.state, label);
    expect(r.blocked).toBe('SEMSEG is empty: pick a class and paint it, or set it to ignore for an unconditional picture.');
    expect(r.emptyConditions).toEqual(['semseg']);
  });

  test('an empty condition says what to do to it: the caption is typed in the prompt box, not painted', () => {
    const s = store();
    rec(s, applyTask(s.state, 'caption'));
    expect(readiness(s.state, label).blocked).toBe('CAPTION is empty: type a description in the box above, or set it to ignore for an unconditional picture.');
    const only = (id: string): string | null => {
      const t = store();
      rec(t, setLayerProps(t.state, 'rgb', { role: 'generate' }));
      rec(t, setLayerProps(t.state, id, { role: 'condition' }));
      return readiness(t.state, label).blocked;
    };
    expect(only('depth')).toMatch(/^DEPTH is empty: paint it or import a picture, or set it to ignore/);
    expect(only('det')).toMatch(/^DET is empty: draw a box on it \(R\), or set it to ignore/);
    expect(only('palette')).toMatch(/^PALETTE is empty: add a colour to it, or set it to ignore/);
    // Two empty: either will do.
    rec(s, setLayerProps(s.state, 'semseg', { role: 'condition' }));
    expect(readiness(s.state, label).blocked).toBe('SEMSEG and CAPTION are empty: paint or write something first, or set them to ignore for an unconditional picture.');
  });

  test('Photo → all layers on an empty picture: ignoring it would make unconditional layers, not "an unconditional picture"', () => {
    const s = store();
    rec(s, applyTask(s.state, 'photo'));
    expect(readiness(s.state, label).blocked).toBe('RGB is empty: paint it or import a picture, or set it to ignore for unconditional layers.');
  });

  test('one of two conditions empty: ready, and the empty one is named', () => {
    const s = store();
    rec(s, applyTask(s.state, 'sketch'));
    rec(s, paintPixels(s.state, 'semseg', { x: 0, y: 0, w: 4, h: 4 }, new Uint8Array(16)));
    rec(s, setLayerProps(s.state, 'det', { role: 'condition' }));
    expect(readiness(s.state, label)).toEqual({ blocked: null, emptyConditions: ['det'] });
  });

  test('no condition at all is an explicit unconditional run', () => {
    const s = store();
    rec(s, setLayerProps(s.state, 'rgb', { role: 'generate' }));
    expect(readiness(s.state, label).blocked).toBeNull();
  });

  test('blank text counts as empty', () => {
    const s = store();
    rec(s, setText(s.state, 'caption', '   '));
    expect(isEmptyCondition(s.state.layers.get('caption')!)).toBe(true);
  });
});

describe('tasks on a model that cannot do every role', () => {
  const limited = (): DocumentStore => new DocumentStore(createDocument(limitedManifest()));
  const withoutSemseg = (): DocumentStore => {
    const m = limitedManifest();
    return new DocumentStore(createDocument({ ...m, modalities: m.modalities.filter((x) => x.id !== 'semseg') }));
  };

  test('every task is available on a model without limits', () => {
    for (const t of TASKS) expect(taskAvailability(store().state, t.id)).toBeNull();
  });

  test('a task the model cannot do says why: a missing layer, or a role it cannot give', () => {
    expect(taskAvailability(withoutSemseg().state, 'sketch', label)).toBe('this model has no Segmentation layer');
    expect(taskAvailability(limited().state, 'sketch', label)).toBeNull();
    const noRgbOut = limitedManifest();
    const s = new DocumentStore(createDocument({ ...noRgbOut, modalities: noRgbOut.modalities.map((m) => (m.id === 'rgb' ? { ...m, canGenerate: false } : m)) }));
    expect(taskAvailability(s.state, 'caption', label)).toBe('this model cannot generate RGB');
    expect(taskAvailability(s.state, 'region', label)).toBe('this model cannot generate RGB');
    // Photo needs some other layer the model writes.
    const onlyReads = limitedManifest();
    const r = new DocumentStore(createDocument({ ...onlyReads, modalities: onlyReads.modalities.filter((m) => ['rgb', 'det', 'caption'].includes(m.id)) }));
    expect(taskAvailability(r.state, 'photo', label)).toBe('this model cannot generate any other layer from RGB');
    expect(taskAvailability(r.state, 'region', label)).toBeNull();
  });

  test('the greyed tasks are named with their reasons in one visible line (null when none is greyed)', () => {
    const reasons = (s: DocumentStore) => Object.fromEntries(TASKS.map((t) => [t.id, taskAvailability(s.state, t.id, label)])) as Parameters<typeof unavailableTasksNote>[0];
    expect(unavailableTasksNote(reasons(store()))).toBeNull();
    const onlyReads = limitedManifest();
    const r = new DocumentStore(createDocument({ ...onlyReads, modalities: onlyReads.modalities.filter((m) => ['rgb', 'det', 'caption'].includes(m.id)) }));
    expect(unavailableTasksNote(reasons(r))).toBe('Not on this model: Sketch → picture (it has no Segmentation layer); Photo → all layers (it cannot generate any other layer from RGB).');
  });

  test('Photo → all layers makes targets only of the layers the model writes, and still reads as Photo', () => {
    const s = limited();
    rec(s, applyTask(s.state, 'photo'));
    expect(roles(s)).toEqual({ rgb: 'condition', depth: 'generate', semseg: 'generate', det: 'ignore', caption: 'ignore', palette: 'generate' });
    expect(taskOf(s.state)).toBe('photo');
    // Blocked only for the empty picture, not for a role.
    expect(readiness(s.state, label).blocked).toMatch(/^RGB is empty/);
  });

  test('a role the model cannot do (from a project) blocks Generate, naming the layer and what to do', () => {
    const s = limited();
    rec(s, setLayerProps(s.state, 'rgb', { role: 'condition' }));
    rec(s, setLayerProps(s.state, 'det', { role: 'generate' }));
    expect(readiness(s.state, label).blocked).toBe('This model cannot generate DET: set DET to another role in Layers.');
  });
});

describe('Derive all from RGB', () => {
  test('one name: the prompt bar\'s button on Photo → all layers is the job the panel\'s button runs', () => {
    expect(DERIVE_LABEL).toBe('Derive all from RGB');
    expect(generateButtonLabel('photo')).toBe(DERIVE_LABEL);
    expect(generateButtonLabel('region')).toBe('Redo region');
    expect(generateButtonLabel('sketch')).toBe('Generate');
    expect(generateButtonLabel(null)).toBe('Generate');
  });

  test('runs once RGB holds a picture; an empty RGB says how to fill it', () => {
    const s = store();
    expect(deriveProblem(s.state, label)).toBe('RGB is empty: paint it or import a picture, then derive the other layers from it.');
    // A picture made for it waits in the staging strip: "RGB is empty" beside it read as wrong.
    expect(deriveProblem(s.state, label, ['rgb'])).toBe("RGB's new picture is waiting under the canvas: accept it, then derive the other layers from it.");
    expect(deriveProblem(s.state, label, ['depth'])).toBe('RGB is empty: paint it or import a picture, then derive the other layers from it.');
    rec(s, paintPixels(s.state, 'rgb', { x: 0, y: 0, w: 32, h: 32 }, new Uint8Array(32 * 32 * 3).fill(9)));
    expect(deriveProblem(s.state, label)).toBeNull();
  });

  test('a model with nothing to derive, or no RGB, says so as Photo → all layers does', () => {
    const m = limitedManifest();
    const onlyReads = new DocumentStore(createDocument({ ...m, modalities: m.modalities.filter((x) => ['rgb', 'det', 'caption'].includes(x.id)) }));
    expect(deriveProblem(onlyReads.state, label)).toBe('This model cannot generate any other layer from RGB.');
    const noRgb = new DocumentStore(createDocument({ ...m, modalities: m.modalities.filter((x) => x.id !== 'rgb') }));
    expect(deriveProblem(noRgb.state, label)).toBe('This model has no RGB layer.');
  });
});

describe('the tool a task starts with', () => {
  test('the sketch starts with fill on an empty map, the brush on a painted one; Fix a region with the region tool', () => {
    expect(taskTool('sketch', 'mask', true)).toBe('fill');
    expect(taskTool('sketch', 'eraser', false)).toBe('brush');
    expect(taskTool('region', 'brush', false)).toBe('mask');
  });

  test('a whole-picture task puts the region tool down (its token grid said "Paint the tokens to regenerate"); another tool stays', () => {
    expect(taskTool('caption', 'mask', false)).toBe('brush');
    expect(taskTool('photo', 'mask', false)).toBe('brush');
    expect(taskTool('caption', 'eraser', false)).toBe('eraser');
    expect(taskTool('photo', 'lasso', false)).toBe('lasso');
  });
});
