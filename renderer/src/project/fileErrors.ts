// How a refused project file is said in the editor's one-line footer: the file's name and the
// reason first. Main's message starts with the full path ("/home/…/scene.4mproj cannot be
// opened: …"), which the artist has just picked, and which left the reason cut off at 1024 px.

/** `message`: main's error for the open that failed. */
export function openErrorText(message: string): string {
  const m = /^(?:.*[\\/])?([^\\/]+?) cannot be opened: (.+)$/s.exec(message);
  return m ? `Could not open ${m[1]}: ${m[2]}` : `Could not open the project: ${message}`;
}
