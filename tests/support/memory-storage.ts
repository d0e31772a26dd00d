/**
 * A Web Storage (`localStorage` / `sessionStorage`) kept in a Map, for unit tests of code that stores the
 * key: one instance per "browser", kept across instances of the code under test as a reload would.
 */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  /** Every stored value, one per line (for "the key is nowhere else"). */
  dump(): string {
    return [...this.items.values()].join('\n');
  }
}
