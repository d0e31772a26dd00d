/**
 * How a readwrite transaction ends: committed whole, or aborted with nothing stored. A quota refusal, from
 * a request or from the transaction's abort, becomes `StorageQuotaError`.
 */
import { StorageQuotaError } from '../errors.ts';

interface Transaction {
  readonly done: Promise<void>;
  readonly error: DOMException | null;
  abort(): void;
}

export const QUOTA_MESSAGE =
  "The browser's storage for this site is full, so the last turn was not saved (nothing of it was stored). " +
  'Free some space, for example by deleting old runs, then resume the run.';

function isQuota(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

function ignore(): void {}

/** The writes a transaction queued; each is observed at once, so a failing one is never "unhandled". */
export class WriteQueue {
  readonly all: Promise<unknown>[] = [];
  push(...requests: Promise<unknown>[]): void {
    for (const request of requests) {
      request.catch(ignore);
      this.all.push(request);
    }
  }
}

function abortQuietly(tx: Transaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: there is nothing left to undo.
  }
}

export function classifyStorageError(error: unknown, tx?: Transaction): unknown {
  let txError: unknown = null;
  try {
    txError = tx?.error ?? null;
  } catch {
    txError = null;
  }
  return isQuota(error) || isQuota(txError) ? new StorageQuotaError(QUOTA_MESSAGE) : error;
}

/**
 * Runs `body` (reads, checks, then queued writes) and waits for the transaction. If `body` throws, the
 * transaction is aborted before it can commit what was queued.
 */
export async function settle<T, Tx extends Transaction>(tx: Tx, body: (tx: Tx, writes: WriteQueue) => Promise<T>): Promise<T> {
  const done = tx.done;
  done.catch(ignore);
  const writes = new WriteQueue();
  let result: T;
  try {
    result = await body(tx, writes);
  } catch (error) {
    abortQuietly(tx);
    await Promise.allSettled([...writes.all, done]);
    throw classifyStorageError(error, tx);
  }
  try {
    await Promise.all([...writes.all, done]);
  } catch (error) {
    abortQuietly(tx);
    await Promise.allSettled([...writes.all, done]);
    throw classifyStorageError(error, tx);
  }
  return result;
}
