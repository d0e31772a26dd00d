/** Saves an exported book as a download in the browser (the UI calls this from a button). */
import { exportBook, type BookExport, type BookFormat } from './export.ts';

/** Builds the file and hands it to the browser's download; returns what was saved. */
export function downloadBook(files: Readonly<Record<string, string>>, format: BookFormat, doc: Document = document): BookExport {
  const exported = exportBook(files, format);
  const url = URL.createObjectURL(new Blob([exported.content], { type: exported.mimeType }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = exported.fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is released once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return exported;
}
