/** Number, money, duration and size formats used across the UI (one place, so they read the same everywhere). */

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function formatInteger(value: number): string {
  return integer.format(value);
}

/** 1234 → "1,234"; 1_234_567 → "1.2M". */
export function formatTokens(value: number): string {
  return value < 100_000 ? integer.format(value) : compact.format(value);
}

/** US dollars: cents for amounts of a dollar or more, finer below so a cheap run does not read $0.00. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0.00';
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  if (Math.abs(value) >= 0.01) return `$${value.toFixed(3)}`;
  return `$${value.toFixed(4)}`;
}

/** 65_000 → "1:05"; 3_725_000 → "1:02:05". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours ? String(minutes).padStart(2, '0') : String(minutes);
  return `${hours ? `${hours}:` : ''}${mm}:${String(seconds).padStart(2, '0')}`;
}

/** A date as the history list shows it: time today, else day and month (and year when not this year). */
export function formatWhen(epochMs: number, now: number = Date.now()): string {
  const date = new Date(epochMs);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit', hour12: false });
  }
  const sameYear = date.getFullYear() === today.getFullYear();
  return date.toLocaleDateString('en', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatInteger(count)} ${count === 1 ? one : many}`;
}
