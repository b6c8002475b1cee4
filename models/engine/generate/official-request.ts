/**
 * The editor's request → a request on an official FM (official-layout.ts names the layers). The
 * RGB layer is the pixel input rgb@224; as a target it is the FM's tok_rgb@224, and its tokens (a
 * result the editor sends back unchanged) go in as tok_rgb@224. A layer with a region to regenerate
 * (keepMask) goes in under its target's token modality (tok_rgb@224), where the engine keeps the
 * tokens outside the region and generates the rest. Everything else keeps its name.
 * Variations are split off: the caller runs one request per seed. Pure.
 */
import type { GenerationInput, GenerationRequest } from '../../../preload/contract/generation';
import type { OfficialModality } from '../fm/official-modalities';
import { officialDomain } from './official-layout';
import { RequestError } from './request-state';

export interface OfficialRequestPlan {
  /** One request per variation (seed, seed + 1, …), in FM modality names. */
  readonly requests: readonly GenerationRequest[];
  /** FM modality → the editor's layer id, for the results. */
  readonly layerOf: ReadonlyMap<string, string>;
}

/** The FM modality that generates layer `id`: tok_<domain>@<size> for a pixel input, else `id`. */
export function officialTargetOf(table: readonly OfficialModality[], id: string): string {
  const m = table.find((x) => x.name === id);
  if (m?.kind !== 'image-pixels' || !m.grid) return id;
  return `tok_${officialDomain(id)}@${m.grid[0] * m.patchSize}`;
}

export function toOfficialRequest(request: GenerationRequest, table: readonly OfficialModality[], label: (id: string) => string = (id) => id): OfficialRequestPlan {
  const layerOf = new Map<string, string>();
  const rename = (id: string): string => {
    const name = officialTargetOf(table, id);
    if (name !== id) layerOf.set(name, id);
    return name;
  };
  const inputs: Record<string, GenerationInput> = {};
  const targetIds = new Set(request.targets.map((t) => t.modality));
  for (const [id, input] of Object.entries(request.inputs)) {
    const m = table.find((x) => x.name === id);
    if ('keepMask' in input && input.keepMask && targetIds.has(id)) {
      // A region to regenerate: the layer goes in under its target's token modality (tok_rgb@224
      // for the RGB layer), its kept tokens visible, the rest generated; never as the whole picture.
      const name = rename(id);
      if (!table.some((x) => x.name === name && x.input && x.kind === 'image-tokens')) {
        throw new RequestError(`${label(id)}: the model cannot regenerate part of this layer (it takes no ${name} tokens as input); clear the layer to regenerate all of it`);
      }
      inputs[name] = input;
    } else if (m?.kind === 'image-pixels' && input.kind === 'image-tokens') {
      // The layer holds a result's tokens: they are the token modality's, not pixels.
      const name = rename(id);
      if (!table.some((x) => x.name === name && x.input)) throw new RequestError(`${label(id)}: its tokens cannot go in (the model has no input ${name}); paint or import a picture instead`);
      inputs[name] = input;
    } else {
      // A painted token-modality layer goes in as pixels: the engine encodes what it can
      // (RGB, segmentation) and names the layer for what it cannot.
      inputs[id] = input;
    }
  }
  const targets = request.targets.map((t) => ({
    ...t,
    modality: rename(t.modality),
    ...(t.cfgConditionWeights ? { cfgConditionWeights: Object.fromEntries(Object.entries(t.cfgConditionWeights).map(([k, v]) => [inputs[k] ? k : officialTargetOf(table, k), v])) } : {}),
  }));
  const { variations, ...rest } = request;
  const requests = Array.from({ length: variations ?? 1 }, (_, v) => ({ ...rest, seed: request.seed + v, inputs, targets }));
  return { requests, layerOf };
}
