/**
 * Browser services around a run (DESIGN.md §9): notifications when a run pauses or finishes (permission
 * asked only on a user action), a screen Wake Lock while runs are driven (a sleeping laptop stops the
 * run), and the online/offline signal (a run paused offline resumes when the network returns).
 */
import type { RunEnvironment } from './types.ts';

interface WakeLockSentinelLike {
  released: boolean;
  release(): Promise<void>;
  addEventListener(type: 'release', listener: () => void): void;
}

interface WakeLockLike {
  request(type: 'screen'): Promise<WakeLockSentinelLike>;
}

export class BrowserRunEnvironment implements RunEnvironment {
  private wanted = false;
  private sentinel: WakeLockSentinelLike | null = null;
  private requesting = false;

  constructor() {
    // The browser drops a wake lock when the tab is hidden; take it again when the tab is shown.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.wanted) void this.acquire();
    });
  }

  async requestNotifications(): Promise<void> {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    try {
      await Notification.requestPermission();
    } catch {
      // A browser that refuses to ask is the same as a "no".
    }
  }

  notify(title: string, body: string): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    // Only when the user is not looking: the page itself already shows the change.
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    try {
      const notification = new Notification(title, { body, tag: 'l2mac-run', icon: `${import.meta.env.BASE_URL}icon.svg` });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    } catch {
      // Some browsers only allow notifications from a service worker; the page shows the state anyway.
    }
  }

  setWakeLock(held: boolean): void {
    this.wanted = held;
    if (held) void this.acquire();
    else if (this.sentinel) {
      const sentinel = this.sentinel;
      this.sentinel = null;
      void sentinel.release().catch(() => undefined);
    }
  }

  onOnline(listener: () => void): () => void {
    window.addEventListener('online', listener);
    return () => window.removeEventListener('online', listener);
  }

  isOnline(): boolean {
    return navigator.onLine;
  }

  private async acquire(): Promise<void> {
    const wakeLock = (navigator as Navigator & { wakeLock?: WakeLockLike }).wakeLock;
    if (!wakeLock || this.requesting || (this.sentinel && !this.sentinel.released)) return;
    if (document.visibilityState !== 'visible') return;
    this.requesting = true;
    try {
      const sentinel = await wakeLock.request('screen');
      if (!this.wanted) {
        await sentinel.release();
        return;
      }
      this.sentinel = sentinel;
      sentinel.addEventListener('release', () => {
        if (this.sentinel === sentinel) this.sentinel = null;
      });
    } catch {
      // Refused (battery saver, no user activation yet): the run goes on; "keep this tab open" still shows.
    } finally {
      this.requesting = false;
    }
  }
}
