/**
 * The config of an official 4M checkpoint (reference §1.7): either the
 * safetensors `__metadata__` map, whose values are Python-repr-like strings
 * ("True", "768", "['caption', 'det']", "SiLU") that the official loader turns
 * into values by replacing 'None' with 'null' and parsing each as YAML, or a
 * plain `config.json`. Pure: parsing and validation only.
 */
import { z } from 'zod';

export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** Values this long are left as strings, as the official loader does. */
const MAX_PARSED_LENGTH = 10_000;

/** Parses one metadata value the way the official loader does (flow YAML subset: scalars, [..], {..}). */
export function parseMetadataValue(raw: string): ConfigValue {
  if (raw.length >= MAX_PARSED_LENGTH) return raw;
  const text = raw.replaceAll('None', 'null');
  const p = new FlowParser(text);
  try {
    const v = p.value(true);
    p.end();
    return v;
  } catch {
    return text; // Not flow YAML: YAML would read it as a plain string.
  }
}

class FlowParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] as string)) this.i++;
  }

  end(): void {
    this.ws();
    if (this.i !== this.s.length) throw new Error('trailing text');
  }

  value(top: boolean): ConfigValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '[') return this.list();
    if (c === '{') return this.map();
    if (c === "'" || c === '"') return this.quoted(c);
    return scalar(this.plain(top));
  }

  private list(): ConfigValue[] {
    this.i++;
    const out: ConfigValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value(false));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') throw new Error('expected , or ]');
    }
  }

  private map(): { [key: string]: ConfigValue } {
    this.i++;
    const out: { [key: string]: ConfigValue } = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.value(false);
      this.ws();
      if (this.s[this.i] !== ':') throw new Error('expected :');
      this.i++;
      out[String(key)] = this.value(false);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Error('expected , or }');
    }
  }

  private quoted(q: string): string {
    let out = '';
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i++] as string;
      if (c === q) {
        if (q === "'" && this.s[this.i] === "'") {
          out += "'";
          this.i++;
          continue;
        }
        return out;
      }
      if (c === '\\' && q === '"') {
        const e = this.s[this.i++] as string;
        out += ({ n: '\n', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
        continue;
      }
      out += c;
    }
    throw new Error('unterminated string');
  }

  private plain(top: boolean): string {
    const start = this.i;
    while (this.i < this.s.length && (top || !/[,\]}:]/.test(this.s[this.i] as string))) this.i++;
    return this.s.slice(start, this.i).trim();
  }
}

function scalar(t: string): ConfigValue {
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^(null|Null|NULL|~|)$/.test(t)) return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

/** All metadata values parsed; keys kept. */
export function configFromMetadata(metadata: Readonly<Record<string, string>>): Record<string, ConfigValue> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, parseMetadataValue(v)]));
}

/**
 * Whether a metadata map carries a model config, not only `format: pt` or the alias map that
 * safetensors' `save_model` (and so Hugging Face's `save_pretrained`) writes for shared tensors
 * it stored once ("encoder_embeddings.caption.mod_emb" → "decoder_embeddings.caption.mod_emb").
 * Config keys are plain identifiers; tensor names have dots.
 */
export function metadataHasConfig(metadata: Readonly<Record<string, string>>): boolean {
  return Object.keys(metadata).some((k) => k !== 'format' && !k.includes('.'));
}

/** A metadata map without its shared-tensor aliases. */
export function configMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).filter(([k]) => !k.includes('.')));
}

/** What the app needs from an official FM config; the rest passes through to the conversion. */
export const FmCheckpointConfig = z.looseObject({
  domains_in: z.array(z.string().min(1)).min(1),
  domains_out: z.array(z.string().min(1)).min(1),
  dim: z.number().int().min(8),
  encoder_depth: z.number().int().min(1),
  decoder_depth: z.number().int().min(1),
  num_heads: z.number().int().min(1),
  image_size: z.number().int().min(16).optional(),
  patch_size: z.number().int().min(1).optional(),
});
export type FmCheckpointConfig = z.infer<typeof FmCheckpointConfig>;

/** The FM config, or the first field that is wrong, as "field: problem". */
export function parseFmConfig(config: unknown): { ok: true; config: FmCheckpointConfig } | { ok: false; error: string } {
  const r = FmCheckpointConfig.safeParse(config);
  if (r.success) return { ok: true, config: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue && issue.path.length > 0 ? issue.path.join('.') : '(config)'}: ${issue?.message ?? 'invalid'}` };
}
