// What the open model can do with each layer: take it as a condition, generate it, or both (an
// official 4M config's domains_in / domains_out, carried by the manifest). The role menu, the task
// presets, readiness and the request builder all ask here, so an impossible role is refused the same
// way everywhere. Pure over the manifest.
import type { DocumentManifest, LayerRole } from '../document';
import { isSamInstanceLayer } from '../../../preload/contract/sam-instance';

export const ROLES: readonly LayerRole[] = ['condition', 'generate', 'ignore'];

/** Whether the model can give layer `id` `role` (ignore always; an unknown layer nothing else). */
export function canTakeRole(manifest: DocumentManifest, id: string, role: LayerRole): boolean {
  if (role === 'ignore') return true;
  const m = manifest.modalities.find((x) => x.id === id);
  if (!m) return false;
  return role === 'condition' ? m.canCondition !== false : m.canGenerate !== false;
}

/** Why the model cannot give the layer `role`, in the artist's words; null when it can. */
export function roleProblem(manifest: DocumentManifest, id: string, role: LayerRole, label: (id: string) => string): string | null {
  if (canTakeRole(manifest, id, role)) return null;
  // 4M-21 reads SAM instances as text, but the layer keeps only their picture: nothing to send back.
  if (role === 'condition' && isSamInstanceLayer(id)) return `${label(id)} is only generated (its picture of the objects cannot be sent back to the model)`;
  return role === 'generate' ? `this model cannot generate ${label(id)}` : `this model cannot take ${label(id)} as a condition`;
}

/** The role menu of one layer: every role, each with why it is unavailable (null when it is available). */
export function roleChoices(manifest: DocumentManifest, id: string, label: (id: string) => string): { role: LayerRole; unavailable: string | null }[] {
  return ROLES.map((role) => ({ role, unavailable: roleProblem(manifest, id, role, label) }));
}

/** Layers whose role the model cannot do (from a project or a document made for another model), with why. */
export function impossibleRoles(doc: { readonly manifest: DocumentManifest; readonly layers: ReadonlyMap<string, { readonly id: string; readonly role: LayerRole }> }, label: (id: string) => string): { id: string; reason: string }[] {
  const out: { id: string; reason: string }[] = [];
  for (const l of doc.layers.values()) {
    const reason = roleProblem(doc.manifest, l.id, l.role, label);
    if (reason) out.push({ id: l.id, reason });
  }
  return out;
}
