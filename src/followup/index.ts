/** What a run changed in the code it started from: per-file diff and one patch to download. */
export { diffFileSets, diffRunAgainstStart, type DiffOptions, type FileDiff, type RunDiff } from './diff.ts';
export { filePatch, type FileChangeKind, type FilePatch, type PatchOptions } from './patch.ts';
export { patchFileName, PATCH_MEDIA_TYPE } from './download.ts';
export { canFollowUp } from './eligibility.ts';
