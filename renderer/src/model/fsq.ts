// Which image layers of a model package can take the "Faithful (expected code)" token choice:
// those whose tokenizer declares its FSQ levels (manifest modalities[].tokenizer.fsqLevels), as the
// engine needs them (models/engine/generate/request-state.ts). Pure; kept apart from
// shippedModels.ts so its test does not reach the bundler's import.meta.glob.

function field(json: unknown, key: string): unknown {
  return json && typeof json === 'object' && key in json ? (json as Record<string, unknown>)[key] : undefined;
}

/** Modalities of a package manifest whose tokenizer declares its FSQ levels. */
export function fsqModalities(json: unknown): string[] {
  const modalities = field(json, 'modalities');
  if (!Array.isArray(modalities)) return [];
  return modalities.flatMap((m: unknown) => {
    const name = field(m, 'name');
    const levels = field(field(m, 'tokenizer'), 'fsqLevels');
    return typeof name === 'string' && Array.isArray(levels) && levels.length > 0 ? [name] : [];
  });
}
