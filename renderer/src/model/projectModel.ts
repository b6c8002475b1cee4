// Opening a project meets the model it was made with (the file records its id and layout
// identity, document/modelRecord.ts). Another installed model: the editor switches to it. One that
// is not installed: the project opens anyway, layers kept as saved, and a notice says which
// model is missing and how to get it. What is said in each case is here, pure, and unit-tested.
import type { ModelList } from '../../../preload/contract/models';
import { layoutIdentity, type DocumentManifest } from '../document';
import type { Notice } from '../state/notices';
import { capitalized } from '../state/wording';

/** The notice about the open project's model (one at a time: a newer one replaces it). */
export const PROJECT_MODEL_NOTICE = 'project-model';

/** What the opened project needs: nothing, or another model; `layoutDiffers` when the same id lays out otherwise now. */
export function projectNeed(project: DocumentManifest, active: { readonly id: string; readonly manifest: DocumentManifest }): { readonly other: boolean; readonly layoutDiffers: boolean } {
  if (project.modelId !== active.id) return { other: true, layoutDiffers: false };
  return { other: false, layoutDiffers: layoutIdentity(project) !== layoutIdentity(active.manifest) };
}

/** Where the project's model is: installed (usable by the registry), downloadable, or neither. */
export function whereIsModel(id: string, list: ModelList | null): { readonly state: 'installed'; readonly name: string } | { readonly state: 'catalog' | 'unknown' } {
  const installed = list?.installed.find((m) => m.id === id && !m.shadowed);
  if (installed) return { state: 'installed', name: installed.displayName };
  return { state: list?.catalog.some((c) => c.id === id) ? 'catalog' : 'unknown' };
}

const KEPT = 'its layers are kept as saved';
const notice = (text: string, tone: Notice['tone']): Notice => ({ id: PROJECT_MODEL_NOTICE, text, tone });

export function switchingNotice(file: string, name: string): Notice {
  return notice(`${file} was made with ${name}: switching the editor to that model… (${KEPT})`, 'info');
}

export function switchedNotice(file: string, name: string, layoutDiffers: boolean): Notice {
  const differs = layoutDiffers ? ` The installed ${name} has other layers than when the project was made; ${KEPT}.` : '';
  return notice(`${file} was made with ${name}; the editor switched to that model.${differs}`, layoutDiffers ? 'warn' : 'info');
}

export function layoutNotice(file: string, name: string): Notice {
  return notice(`${file} was made with another version of ${name} (other layers than the installed one); ${KEPT}.`, 'warn');
}

export function missingNotice(file: string, id: string, where: 'catalog' | 'unknown'): Notice {
  const how = where === 'catalog'
    ? `download it in Models (Ctrl+Shift+M), or import its folder there if you have it`
    : `add its folder with Models (Ctrl+Shift+M) → Import folder…`;
  return notice(`${file} was made with the model "${id}", which is not installed here. Nothing is lost: ${KEPT} and shown as they are. To generate with them, ${how}; the editor then switches to it when the project is opened.`, 'warn');
}

export function unusableNotice(file: string, name: string, reason: string): Notice {
  return notice(`${file} was made with ${name}, which is installed but cannot be opened now: ${reason.replace(/\.?$/, '.')} ${capitalized(KEPT)}; see Models (Ctrl+Shift+M).`, 'warn');
}

export function switchFailedNotice(file: string, name: string, reason: string, back: string): Notice {
  return notice(`${file} was made with ${name}, which could not be opened: ${reason.replace(/\.?$/, '.')} ${capitalized(KEPT)}; going back to ${back}.`, 'warn');
}

/**
 * The Generate panel's standing hint while the document is laid out for another model than the
 * open one (its model is missing, cannot be opened, or the switch failed): why nothing is sent, and
 * how to get there. `short` is the line beside the Generate button.
 */
export function mismatchHint(docModel: string, openModel: string): { readonly short: string; readonly long: string } {
  return {
    short: `Generate is off: this project's layers are for "${docModel}", not ${openModel}.`,
    long: `This project was made with "${docModel}"; ${openModel} is open and its layers differ, so Generate is off. Install "${docModel}" in Models (Ctrl+Shift+M), or Use it there, to generate with it.`,
  };
}

/** Why Generate refuses a document laid out for another model than the open one. */
export function wrongModelText(docModel: string, openModel: string): string {
  return `This document's layers are for the model "${docModel}", but ${openModel} is open: install "${docModel}" (Models, Ctrl+Shift+M) and reopen the project, or start a new document.`;
}
