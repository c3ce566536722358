/** Saves text as a file through a Blob and an object URL: no downloads permission needed. */
export function downloadText(filename: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; revoking on the next turn is safe.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
