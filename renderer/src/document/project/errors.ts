// Every failure to read a project file becomes a ProjectError: a code the UI can branch on
// and a message naming the field and what was expected.
export type ProjectErrorCode =
  | 'magic' // not a 4M Studio project
  | 'truncated' // shorter than its own lengths say
  | 'checksum' // bytes changed after writing
  | 'version' // written by a newer app, or an unknown old version
  | 'json' // header is not valid UTF-8 JSON
  | 'schema' // a field has the wrong type or shape
  | 'size'; // a binary chunk or array has the wrong length or value range

export class ProjectError extends Error {
  override readonly name = 'ProjectError';
  constructor(
    readonly code: ProjectErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** ['layers', 2, 'pixels'] → "layers[2].pixels". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}
