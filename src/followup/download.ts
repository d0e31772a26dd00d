/** The downloaded patch's name and type. */
import { downloadName } from '../app/download.ts';

/** `text/x-diff` makes browsers save the file rather than show it, and editors highlight it. */
export const PATCH_MEDIA_TYPE = 'text/x-diff';

/** `add-a-discount.patch` from a run title. */
export function patchFileName(title: string): string {
  return downloadName(title, '.patch');
}
