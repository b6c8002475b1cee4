// A reopened project meets the model it was made with: the project file keeps a copy of the
// manifest (so it opens without the model), but the installed model's class colours win. The
// engine reads a sketch by nearest class colour, so a class map sent in a project's old colours
// would be read as the wrong classes (an old blue cube became the sky).
import type { DocumentManifest, ModalityManifest } from './manifest';
import type { DocumentState } from './types';

function sameClasses(a: ModalityManifest, b: ModalityManifest): boolean {
  const x = a.classes ?? [];
  const y = b.classes ?? [];
  return x.length === y.length && x.every((c, i) => c.name === y[i]?.name);
}

/**
 * `doc` with `model`'s class colours, when `doc` was made with that model and its classes are the
 * same (same names in the same order; class ids are what the layers store), and with that model's
 * Objects (SAM) object limit. Anything else is left as the project says: another model's document
 * keeps its own manifest.
 */
export function adoptModel(doc: DocumentState, model: DocumentManifest): DocumentState {
  if (doc.manifest.modelId !== model.modelId) return doc;
  let changed = false;
  const modalities = doc.manifest.modalities.map((m): ModalityManifest => {
    const theirs = model.modalities.find((x) => x.id === m.id);
    // How many painted objects the model reads is the model's to say (a project from before it said).
    if (theirs?.maxObjects !== undefined && theirs.maxObjects !== m.maxObjects) {
      changed = true;
      return { ...m, maxObjects: theirs.maxObjects };
    }
    if (!theirs || m.kind !== 'segmentation' || theirs.kind !== 'segmentation' || !sameClasses(m, theirs)) return m;
    const classes = theirs.classes ?? [];
    if (classes.every((c, i) => c.color.every((v, k) => v === m.classes?.[i]?.color[k]))) return m;
    changed = true;
    return { ...m, classes: classes.map((c) => ({ name: c.name, color: [c.color[0], c.color[1], c.color[2]] })) };
  });
  return changed ? { ...doc, manifest: { ...doc.manifest, modalities } } : doc;
}
