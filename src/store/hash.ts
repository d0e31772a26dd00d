/** Content addressing of blobs: SHA-256 of the UTF-8 bytes, as lowercase hex (Web Crypto, browser and Node). */
const encoder = new TextEncoder();

function toHex(digest: ArrayBuffer): string {
  const bytes = new Uint8Array(digest);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export async function sha256HexOfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', bytes));
}

export async function sha256Hex(text: string): Promise<string> {
  return sha256HexOfBytes(encoder.encode(text));
}

export interface HashedContent {
  hash: string;
  /** UTF-8 size. */
  bytes: number;
}

export async function hashContent(text: string): Promise<HashedContent> {
  const encoded = encoder.encode(text);
  return { hash: await sha256HexOfBytes(encoded), bytes: encoded.byteLength };
}

export const HASH_PATTERN = /^[0-9a-f]{64}$/;
