/** Saves bytes as a download (an object URL on a temporary link; revoked once the click is handled). */
export function saveDownload(bytes: Uint8Array, filename: string, type = 'application/zip'): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a run title: letters, digits and dashes, at most 60 characters. */
export function downloadName(title: string, suffix: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'l2mac-run'}${suffix}`;
}
