/**
 * What `4m models add <source>` was given: a URL, a local folder or file, or a
 * hub repository (a known official model by id, or `owner/name`). Pure: the
 * caller says whether the argument names something on disk.
 */
import { CATALOG, catalogEntry, type CatalogEntry } from './catalog';
import { hubFileUrl } from './transfer-plan';

export type Source =
  | { readonly kind: 'local-folder'; readonly path: string }
  | { readonly kind: 'local-file'; readonly path: string }
  /** A package folder on a server: files are `<base>/<rel>`. */
  | { readonly kind: 'package-url'; readonly base: string }
  /** One checkpoint file on a server. */
  | { readonly kind: 'checkpoint-url'; readonly url: string }
  | { readonly kind: 'repo'; readonly repo: string; readonly entry: CatalogEntry | undefined };

export function classifySource(arg: string, onDisk: 'dir' | 'file' | undefined): Source {
  if (onDisk === 'dir') return { kind: 'local-folder', path: arg };
  if (onDisk === 'file') return { kind: 'local-file', path: arg };
  if (/^https?:\/\//i.test(arg)) {
    let url: URL;
    try {
      url = new URL(arg);
    } catch {
      throw new Error(`"${arg}" is not a valid URL`);
    }
    if (url.pathname.endsWith('.safetensors')) return { kind: 'checkpoint-url', url: url.toString() };
    const base = url.toString().replace(/\/manifest\.json$/, '').replace(/\/+$/, '');
    return { kind: 'package-url', base };
  }
  const bare = arg.replace(/^hf:/, '');
  const entry = catalogEntry(bare);
  if (entry) return { kind: 'repo', repo: entry.repo, entry };
  if (/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(bare)) return { kind: 'repo', repo: bare, entry: undefined };
  throw new Error(`"${arg}" is not a folder, a file, a URL, a hub repository (owner/name) or a known model (${CATALOG.map((e) => e.id).join(', ')})`);
}

/** Where a package's file lives for a source that downloads. */
export function packageFileUrl(source: Extract<Source, { kind: 'package-url' | 'repo' }>, baseUrl: string, rel: string): string {
  if (source.kind === 'package-url') return `${source.base}/${rel.split('/').map(encodeURIComponent).join('/')}`;
  return hubFileUrl(baseUrl, source.repo, rel);
}

/** A folder name for an installed model: letters, digits, dot, dash, underscore. */
export function sanitizeId(name: string): string {
  const id = name.replace(/\.safetensors$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return id || 'model';
}
