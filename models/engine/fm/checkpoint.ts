/**
 * Opens an official 4M checkpoint without reading its weights: the validated
 * safetensors header, and the config from the header's `__metadata__` or, when
 * that carries none, from a `config.json` beside the file (the Hugging Face layout).
 */
import { dirname, join } from 'node:path';
import { configFromMetadata, configMetadata, metadataHasConfig, type ConfigValue } from '../../registry/checkpoint-config';
import { readSafetensorsHeader, SafetensorsError, type SafetensorsHeader } from './safetensors';
import { readTextFile } from '../../registry/read-text';

export interface CheckpointInfo {
  readonly header: SafetensorsHeader;
  readonly config: Readonly<Record<string, ConfigValue>> | undefined;
  /** Where the config came from: 'metadata', the config.json path, or undefined when there is none. */
  readonly configSource: string | undefined;
  /** Number of values over all tensors. */
  readonly parameters: number;
}

export async function openCheckpoint(file: string): Promise<CheckpointInfo> {
  const header = await readSafetensorsHeader(file);
  let parameters = 0;
  for (const e of header.entries.values()) parameters += e.shape.reduce((a, d) => a * d, 1);
  if (metadataHasConfig(header.metadata)) return { header, config: configFromMetadata(configMetadata(header.metadata)), configSource: 'metadata', parameters };
  const sibling = join(dirname(file), 'config.json');
  let text: string;
  try {
    text = await readTextFile(sibling);
  } catch {
    return { header, config: undefined, configSource: undefined, parameters };
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(`${sibling}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new SafetensorsError(`${sibling}: expected a JSON object`);
  return { header, config: config as Record<string, ConfigValue>, configSource: sibling, parameters };
}
