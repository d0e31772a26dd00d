/**
 * The registration and the one-time isolation reload (src/pwa/register.ts) against a fake browser: the
 * reload happens once when the worker takes control of a page that is not isolated, never in a loop,
 * never on an isolated page, never while held, and nothing is registered where service workers are off.
 */
import { describe, expect, it } from 'vitest';
import { RELOAD_MARK, startServiceWorker, type PwaEnvironment, type PwaStatus } from '../../../src/pwa/register.ts';
import { SKIP_WAITING_MESSAGE } from '../../../src/pwa/protocol.ts';

class FakeWorker extends EventTarget {
  readonly messages: unknown[] = [];
  postMessage(message: unknown) {
    this.messages.push(message);
  }
}

class FakeRegistration extends EventTarget {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  active: FakeWorker | null = null;
}

class FakeContainer extends EventTarget {
  controller: FakeWorker | null = null;
  readonly calls: { url: string; options: RegistrationOptions | undefined }[] = [];
  constructor(private readonly outcome: FakeRegistration | Error) {
    super();
  }
  register(url: string, options?: RegistrationOptions): Promise<FakeRegistration> {
    this.calls.push({ url, options });
    return this.outcome instanceof Error ? Promise.reject(this.outcome) : Promise.resolve(this.outcome);
  }
  takeControl() {
    this.controller = new FakeWorker();
    this.dispatchEvent(new Event('controllerchange'));
  }
}

function session(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

function setup(over: Partial<PwaEnvironment> & { container?: FakeContainer | null; isolated?: boolean } = {}) {
  const registration = new FakeRegistration();
  registration.installing = new FakeWorker();
  const container = over.container === undefined ? new FakeContainer(registration) : over.container;
  const reloads: number[] = [];
  const store = session();
  const env: PwaEnvironment = {
    serviceWorker: container as unknown as ServiceWorkerContainer | null,
    isSecureContext: true,
    crossOriginIsolated: () => over.isolated ?? false,
    online: () => true,
    onOnlineChange: () => undefined,
    session: store,
    reload: () => reloads.push(1),
    baseUrl: '/',
    dev: false,
    ...over,
  };
  const pwa = startServiceWorker(env);
  const seen: PwaStatus[] = [];
  pwa.subscribe((s) => seen.push(s));
  return { pwa, container, registration, reloads, store, seen, env };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('service worker registration', () => {
  it('registers sw.js under the base path, with that scope and no HTTP caching of the script', async () => {
    const { container } = setup({ baseUrl: '/l2mac-web/' });
    await settle();
    expect(container?.calls).toEqual([{ url: '/l2mac-web/sw.js', options: { scope: '/l2mac-web/', updateViaCache: 'none' } }]);
  });

  it('is skipped where service workers are unavailable, on insecure origins and on the dev server', async () => {
    expect(setup({ container: null }).pwa.status.serviceWorker).toBe('unsupported');
    const insecure = setup({ isSecureContext: false });
    expect(insecure.pwa.status.serviceWorker).toBe('unsupported');
    expect(insecure.container?.calls).toEqual([]);
    const dev = setup({ dev: true });
    expect(dev.pwa.status.serviceWorker).toBe('disabled');
    expect(dev.container?.calls).toEqual([]);
  });

  it('reports a blocked registration plainly, and never reloads', async () => {
    const { pwa, reloads, container } = setup({ container: new FakeContainer(new Error('The operation is insecure.')) });
    await settle();
    expect(pwa.status.serviceWorker).toBe('failed');
    expect(pwa.status.detail).toMatch(/could not be registered: The operation is insecure/);
    container?.takeControl();
    expect(reloads).toEqual([]);
  });

  it('treats a registration that yields nothing (blocked by policy or automation) as unsupported', async () => {
    const container = new FakeContainer(new FakeRegistration());
    container.register = (url: string, options?: RegistrationOptions) => {
      container.calls.push({ url, options });
      return Promise.resolve(undefined as unknown as FakeRegistration);
    };
    const { pwa, reloads } = setup({ container });
    await settle();
    expect(pwa.status).toMatchObject({ serviceWorker: 'unsupported', detail: 'Service workers are blocked in this browser.' });
    container.takeControl();
    expect(reloads).toEqual([]);
  });

  it('tracks installation until the app is available offline', async () => {
    const { pwa, registration } = setup();
    await settle();
    expect(pwa.status).toMatchObject({ serviceWorker: 'installing', offlineReady: false });
    registration.active = registration.installing;
    registration.installing = null;
    registration.active?.dispatchEvent(new Event('statechange'));
    expect(pwa.status).toMatchObject({ serviceWorker: 'ready', offlineReady: true, updateReady: false });
  });
});

describe('the isolation reload', () => {
  it('reloads once when the worker takes control of a page that is not isolated', async () => {
    const { container, reloads, store } = setup();
    await settle();
    container?.takeControl();
    expect(reloads).toHaveLength(1);
    expect(store.items.has(RELOAD_MARK)).toBe(true);
  });

  it('never loops: after its reload, a page still not isolated stays and says so', async () => {
    const { container, reloads, pwa } = setup({ session: session({ [RELOAD_MARK]: '1' }) });
    await settle();
    container?.takeControl();
    expect(reloads).toEqual([]);
    expect(pwa.status.isolationFailed).toBe(true);
  });

  it('does nothing on a page that is isolated already, and forgets an earlier reload', async () => {
    const store = session({ [RELOAD_MARK]: '1' });
    const { container, reloads, pwa } = setup({ isolated: true, session: store });
    await settle();
    container?.takeControl();
    expect(reloads).toEqual([]);
    expect(pwa.status).toMatchObject({ isolated: true, isolationFailed: false });
    expect(store.items.has(RELOAD_MARK)).toBe(false);
  });

  it('reloads a page that is controlled but not isolated (an older worker), once', async () => {
    const registration = new FakeRegistration();
    registration.active = new FakeWorker();
    const container = new FakeContainer(registration);
    container.controller = new FakeWorker();
    const { reloads } = setup({ container });
    await settle();
    expect(reloads).toHaveLength(1);
  });

  it('waits while a run holds it, then reloads when the last hold is released', async () => {
    const { pwa, container, reloads } = setup();
    await settle();
    const releaseA = pwa.holdReload();
    const releaseB = pwa.holdReload();
    container?.takeControl();
    expect(reloads).toEqual([]);
    expect(pwa.status.reloadPending).toBe(true);
    releaseA();
    releaseA();
    expect(reloads).toEqual([]);
    releaseB();
    expect(reloads).toHaveLength(1);
    expect(pwa.status.reloadPending).toBe(false);
  });

  it('does not reload when it cannot remember having reloaded (storage disabled)', async () => {
    const { container, reloads } = setup({ session: null });
    await settle();
    container?.takeControl();
    expect(reloads).toEqual([]);
  });
});

describe('updates', () => {
  it('offers a waiting new version and switches to it only when asked', async () => {
    const registration = new FakeRegistration();
    registration.active = new FakeWorker();
    const waiting = new FakeWorker();
    registration.waiting = waiting;
    const container = new FakeContainer(registration);
    container.controller = registration.active;
    const { pwa, reloads } = setup({ container, isolated: true });
    await settle();
    expect(pwa.status.updateReady).toBe(true);
    expect(waiting.messages).toEqual([]);
    pwa.applyUpdate();
    expect(waiting.messages).toEqual([SKIP_WAITING_MESSAGE]);
    container.takeControl();
    expect(reloads).toHaveLength(1);
  });
});
