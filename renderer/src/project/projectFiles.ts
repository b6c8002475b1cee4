// The fallback where the app has no file channel (a browser without the harness's project
// folder): save = a download, open = a file chosen by the artist. With a file channel,
// ProjectSession goes through main's atomic writer instead.
import { restoreProjectReport, saveProject, type DocumentState } from '../document';

export const PROJECT_EXTENSION = '.4mproj';

export function downloadBytes(bytes: Uint8Array, name: string, type: string): void {
  downloadBlob(new Blob([bytes.slice().buffer], { type }), name);
}

/** Saves a blob as the browser's download named `name` (project files, PNG exports). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoke after the click has been handled; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadProject(doc: DocumentState, name: string): void {
  downloadBytes(saveProject(doc), name.endsWith(PROJECT_EXTENSION) ? name : `${name}${PROJECT_EXTENSION}`, 'application/octet-stream');
}

/** Throws ProjectError with the field at fault when the file is not a valid project; `notes`: what was left out. */
export async function readProjectFile(file: File): Promise<{ readonly doc: DocumentState; readonly notes: readonly string[] }> {
  return restoreProjectReport(new Uint8Array(await file.arrayBuffer()));
}
