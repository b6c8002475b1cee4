// Starting from intent: task presets that set every layer's role in one click, which preset
// the current roles match, and whether Generate can run (and what would be silently lost).
// Pure over the document, so the rules are unit-tested.
import { setLayerProps, setMask, type Delta, type DocumentState, type Layer, type LayerRole, type Update } from '../document';
import { domainOf, layerLabel } from '../model/layerLabels';
import { canTakeRole, impossibleRoles, roleProblem } from './roles';
import { capitalized } from '../state/wording';
import type { ToolId } from '../tools/toolIds';

export type TaskId = 'sketch' | 'photo' | 'caption' | 'region';

export interface TaskInfo {
  readonly id: TaskId;
  readonly label: string;
  readonly help: string;
}

export const TASKS: readonly TaskInfo[] = [
  { id: 'sketch', label: 'Sketch → picture', help: 'Paint a segmentation map (and optionally describe it); the picture is generated from it' },
  { id: 'photo', label: 'Photo → all layers', help: 'Import or paint a picture; every other layer of the model is predicted from it' },
  { id: 'caption', label: 'Caption → picture', help: 'Describe the scene in the prompt; the picture is generated from the words' },
  { id: 'region', label: 'Fix a region', help: 'Mark the part of the picture to redo with the region tool (M); the rest is kept' },
];

/**
 * The one name of predicting every other layer from RGB: the panel's button, the prompt bar's
 * button on Photo → all layers, and the job in the queue, the staging strip and the undo list
 * (they said "Derive all from RGB", "Fill all layers" and "Derive from RGB" of the same job).
 */
export const DERIVE_LABEL = 'Derive all from RGB';

/** The prompt bar's main button: named for what the task's job is called once it runs. */
export function generateButtonLabel(task: TaskId | null): string {
  return task === 'photo' ? DERIVE_LABEL : task === 'region' ? 'Redo region' : 'Generate';
}

/** A condition with nothing in it (what buildGenerationRequest would leave out). */
export function isEmptyCondition(layer: Layer): boolean {
  if (layer.sync === 'empty') return true;
  const c = layer.content;
  if (c.kind === 'text') return c.text.trim() === '';
  if (c.kind === 'boxes') return c.boxes.length === 0;
  if (c.kind === 'palette') return c.swatches.length === 0;
  if (c.kind === 'reference') return c.ids === null;
  return false;
}

function byDomain(doc: DocumentState, domain: string): Layer | undefined {
  return [...doc.layers.values()].find((l) => domainOf(l.id) === domain);
}

/** Whether `task` can run on the open model: null, or why not in the artist's words ("this model has no Segmentation layer"). */
export function taskAvailability(doc: DocumentState, task: TaskId, label: (id: string) => string = layerLabel): string | null {
  const need = (domain: string, role: LayerRole): string | null => {
    const layer = byDomain(doc, domain);
    if (!layer) return `this model has no ${layerLabel(domain)} layer`;
    return roleProblem(doc.manifest, layer.id, role, label);
  };
  switch (task) {
    case 'sketch':
      return need('semseg', 'condition') ?? need('rgb', 'generate');
    case 'caption':
      return need('caption', 'condition') ?? need('rgb', 'generate');
    case 'region':
      return need('rgb', 'generate');
    case 'photo': {
      const rgb = byDomain(doc, 'rgb');
      const missing = need('rgb', 'condition');
      if (missing || !rgb) return missing;
      const writable = [...doc.layers.keys()].some((id) => id !== rgb.id && canTakeRole(doc.manifest, id, 'generate'));
      return writable ? null : `this model cannot generate any other layer from ${label(rgb.id)}`;
    }
  }
}

/**
 * The greyed tasks and why, as one visible line under the presets ("Not on this model: Sketch →
 * picture (it has no Segmentation layer)"): a disabled button shows no tooltip to the keyboard and
 * none before a hover, so the reason is on screen too. Null when every task can run.
 */
export function unavailableTasksNote(reasons: Readonly<Record<TaskId, string | null>>): string | null {
  const off = TASKS.flatMap((t) => {
    const why = reasons[t.id];
    return why ? [`${t.label} (${why.replace(/^this model /, 'it ')})`] : [];
  });
  return off.length ? `Not on this model: ${off.join('; ')}.` : null;
}

/** The roles a task gives each layer (layers not named, and roles the model cannot do, are ignore). */
function rolesFor(doc: DocumentState, task: TaskId): Map<string, LayerRole> {
  const roles = new Map<string, LayerRole>();
  for (const [id, role] of wantedRoles(doc, task)) roles.set(id, canTakeRole(doc.manifest, id, role) ? role : 'ignore');
  return roles;
}

/** The roles a task asks of each layer, before the model's limits. */
function wantedRoles(doc: DocumentState, task: TaskId): Map<string, LayerRole> {
  const roles = new Map<string, LayerRole>();
  for (const id of doc.layers.keys()) roles.set(id, 'ignore');
  const rgb = byDomain(doc, 'rgb');
  const semseg = byDomain(doc, 'semseg');
  const caption = byDomain(doc, 'caption');
  const captionSaysSomething = caption !== undefined && !isEmptyCondition(caption);
  switch (task) {
    case 'sketch':
      if (semseg) roles.set(semseg.id, 'condition');
      if (caption && captionSaysSomething) roles.set(caption.id, 'condition');
      if (rgb) roles.set(rgb.id, 'generate');
      break;
    case 'photo':
      for (const id of doc.layers.keys()) roles.set(id, id === rgb?.id ? 'condition' : 'generate');
      break;
    case 'caption':
      if (caption) roles.set(caption.id, 'condition');
      if (rgb) roles.set(rgb.id, 'generate');
      break;
    case 'region':
      if (rgb) roles.set(rgb.id, 'generate');
      // What the artist already said about the scene keeps steering the redone part.
      for (const l of [semseg, caption]) if (l && !isEmptyCondition(l)) roles.set(l.id, 'condition');
      break;
  }
  return roles;
}

/**
 * Whether picking `task` clears the region left marked on the picture: Sketch → picture and
 * Caption → picture make the whole picture, and a region still marked from Fix a region would make
 * them redo only that part (their preset then read as Fix a region, and a second click did nothing).
 */
export function taskClearsRegion(doc: DocumentState, task: TaskId): boolean {
  const rgb = byDomain(doc, 'rgb');
  return (task === 'sketch' || task === 'caption') && rgb?.mask?.includes(1) === true;
}

/**
 * The tool a task starts with, given the one in hand: the sketch the fill tool on an empty map (one
 * click gives it a sky), else the brush; Fix a region the region tool. A whole-picture task puts the
 * region tool down: after Fix a region, Caption → picture and Photo → all layers kept it, its token
 * grid over the picture and "Paint the tokens to regenerate" beside a task that redoes no region.
 */
export function taskTool(task: TaskId, current: ToolId, sketchEmpty: boolean): ToolId {
  if (task === 'sketch') return sketchEmpty ? 'fill' : 'brush';
  if (task === 'region') return 'mask';
  return current === 'mask' ? 'brush' : current;
}

/** One undoable step that sets every layer's role for `task` (and clears the region a whole-picture task would otherwise keep). */
export function applyTask(doc: DocumentState, task: TaskId): Update {
  const deltas: Delta[] = [];
  for (const [id, role] of rolesFor(doc, task)) deltas.push(...setLayerProps(doc, id, { role }).deltas);
  const rgb = byDomain(doc, 'rgb');
  if (rgb && taskClearsRegion(doc, task)) deltas.push(...setMask(doc, rgb.id, null).deltas);
  const info = TASKS.find((t) => t.id === task);
  return { label: `Task: ${info?.label ?? task}`, deltas };
}

/** The task the current roles amount to, or null when they are the artist's own mix. */
export function taskOf(doc: DocumentState): TaskId | null {
  const rgb = byDomain(doc, 'rgb');
  const roles = new Map([...doc.layers.values()].map((l) => [l.id, l.role]));
  const generate = [...roles].filter(([, r]) => r === 'generate').map(([id]) => id);
  const conditions = [...roles].filter(([, r]) => r === 'condition').map(([id]) => id);
  if (!rgb) return null;
  // Every layer the model can generate, from RGB (on a model that only reads some layers, those stay ignored).
  if (rgb.role === 'condition' && generate.length > 0 && rolesMatch(doc, 'photo')) return 'photo';
  if (rgb.role !== 'generate' || generate.length !== 1) return null;
  if (rgb.mask?.includes(1) && rgb.sync !== 'empty') return 'region';
  const domains = new Set(conditions.map(domainOf));
  if (domains.has('semseg')) return 'sketch';
  if (domains.size === 1 && domains.has('caption')) return 'caption';
  return null;
}

/** Whether every layer has the role `task` gives it. */
function rolesMatch(doc: DocumentState, task: TaskId): boolean {
  const want = rolesFor(doc, task);
  return [...doc.layers.values()].every((l) => want.get(l.id) === l.role);
}

/**
 * The task to show as chosen: the one the roles amount to, except that "Fix a region" just picked,
 * with no region marked yet, stays itself (its roles alone read as a sketch or caption run, and
 * Generate would then redo the whole picture).
 */
export function shownTask(doc: DocumentState, picked: TaskId | null): TaskId | null {
  const now = taskOf(doc);
  if (picked === 'region' && now !== 'region' && rolesMatch(doc, 'region')) return 'region';
  return now;
}

export interface Readiness {
  /** Why Generate cannot run, in the artist's words; null when it can. */
  readonly blocked: string | null;
  /** Condition layers that are set but hold nothing. */
  readonly emptyConditions: readonly string[];
}

/**
 * Generate is ready once something is to be generated and some condition says something; a
 * set-but-empty condition is named (it would otherwise silently give an unconditional picture).
 * No condition at all is the artist's explicit choice of an unconditional run.
 */
export function readiness(doc: DocumentState, label: (id: string) => string, task: TaskId | null = null): Readiness {
  const layers = [...doc.layers.values()];
  const conditions = layers.filter((l) => l.role === 'condition');
  const emptyConditions = conditions.filter(isEmptyCondition).map((l) => l.id);
  // A role the model cannot do (a project made for another model, an older document): the artist decides what instead.
  const impossible = impossibleRoles(doc, label)[0];
  if (impossible) {
    return { blocked: `${capitalized(impossible.reason)}: set ${label(impossible.id)} to another role in Layers.`, emptyConditions };
  }
  if (!layers.some((l) => l.role === 'generate')) return { blocked: 'Pick a task above, or set a layer to generate.', emptyConditions };
  const rgb = byDomain(doc, 'rgb');
  if (task === 'region' && rgb && !rgb.mask?.includes(1)) {
    const blocked = rgb.sync === 'empty'
      ? `${label(rgb.id)} is empty: import or generate a picture first, then mark the part to redo with the region tool (M).`
      : 'Mark the part of the picture to redo with the region tool (M) first.';
    return { blocked, emptyConditions };
  }
  if (conditions.length > 0 && emptyConditions.length === conditions.length) {
    const names = emptyConditions.map(label).join(' and ');
    // What an unconditional run would make: a picture when RGB is generated; on Photo → all layers (RGB the empty condition) the other layers.
    const made = rgb?.role === 'generate' ? 'an unconditional picture' : 'unconditional layers';
    if (conditions.length === 1 && conditions[0]) {
      return { blocked: `${names} is empty: ${howToFill(conditions[0])}, or set it to ignore for ${made}.`, emptyConditions };
    }
    return { blocked: `${names} are empty: paint or write something first, or set them to ignore for ${made}.`, emptyConditions };
  }
  return { blocked: null, emptyConditions };
}

/**
 * What to do to an empty condition, by what it holds. "Paint or write something" told someone on
 * Caption → picture to paint a caption; the caption is the prompt box, above the warning.
 */
function howToFill(layer: Layer): string {
  if (domainOf(layer.id) === 'caption') return 'type a description in the box above';
  switch (layer.content.kind) {
    case 'segmentation':
      return 'pick a class and paint it';
    case 'image':
      return 'paint it or import a picture';
    case 'boxes':
      return 'draw a box on it (R)';
    case 'palette':
      return 'add a colour to it';
    case 'text':
      return 'fill it in';
    case 'reference':
      return 'take it from the RGB layer or a picture file';
  }
}

/**
 * Why "Derive all from RGB" cannot run on this document, or null when it can (a host not ready and
 * a project for another model the panel says already). What Photo → all layers needs of the model
 * (on the SR canvas it was offered with nothing to derive), then a picture in RGB (`staged`: the
 * layers a result waiting in the staging strip covers). Said beside the
 * greyed button: a disabled button's tooltip never shows to the keyboard.
 */
export function deriveProblem(doc: DocumentState, label: (id: string) => string = layerLabel, staged: readonly string[] = []): string | null {
  const unavailable = taskAvailability(doc, 'photo', label);
  if (unavailable) return `${capitalized(unavailable)}.`;
  const rgb = byDomain(doc, 'rgb');
  // A picture made for an empty RGB waits in the staging strip (`staged`): "RGB is empty" beside it read as wrong.
  if (rgb?.sync === 'empty' && staged.includes(rgb.id)) return `${label(rgb.id)}'s new picture is waiting under the canvas: accept it, then derive the other layers from it.`;
  if (rgb?.sync === 'empty') return `${label(rgb.id)} is empty: paint it or import a picture, then derive the other layers from it.`;
  return null;
}
