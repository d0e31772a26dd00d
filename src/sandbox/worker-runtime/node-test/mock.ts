/**
 * `mock` of `node:test` (Node 20): `mock.fn`, `mock.method`, `mock.getter`, `mock.setter`, `reset`,
 * `restoreAll`, and each mock's `.mock` context (`calls`, `callCount()`, `mockImplementation`,
 * `mockImplementationOnce`, `resetCalls`, `restore`). `mock.timers` is not provided.
 */

// Mocked functions take and return anything.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (this: any, ...args: any[]) => any;

interface Call {
  arguments: unknown[];
  error: unknown;
  result: unknown;
  stack: Error;
  target: unknown;
  this: unknown;
}

interface MockOptions {
  times?: number;
  getter?: boolean;
  setter?: boolean;
}

export class MockFunctionContext {
  readonly #calls: Call[] = [];
  #implementation: AnyFunction | undefined;
  readonly #original: AnyFunction | undefined;
  readonly #once = new Map<number, AnyFunction | undefined>();
  readonly #restore: (() => void) | undefined;
  readonly #times: number;

  constructor(original: AnyFunction | undefined, implementation: AnyFunction | undefined, restore: (() => void) | undefined, times: number) {
    this.#original = original;
    this.#implementation = implementation;
    this.#restore = restore;
    this.#times = times;
  }

  get calls(): Call[] {
    return [...this.#calls];
  }

  callCount(): number {
    return this.#calls.length;
  }

  mockImplementation(implementation: AnyFunction): void {
    this.#implementation = implementation;
  }

  mockImplementationOnce(implementation: AnyFunction, onCall?: number): void {
    this.#once.set(onCall ?? this.#calls.length, implementation);
  }

  resetCalls(): void {
    this.#calls.length = 0;
  }

  restore(): void {
    this.#restore?.();
  }

  /** The function the next call runs. */
  nextImplementation(): AnyFunction | undefined {
    const index = this.#calls.length;
    if (this.#once.has(index)) {
      const once = this.#once.get(index);
      this.#once.delete(index);
      return once;
    }
    if (index >= this.#times) return this.#original;
    return this.#implementation;
  }

  record(call: Call): void {
    this.#calls.push(call);
  }
}

type MockFunction = AnyFunction & { mock: MockFunctionContext };

function createMock(original: AnyFunction | undefined, implementation: AnyFunction | undefined, restore: (() => void) | undefined, times = Infinity): MockFunction {
  const context = new MockFunctionContext(original, implementation ?? original, restore, times);
  const mock = function (this: unknown, ...args: unknown[]) {
    const target = new.target;
    const run = context.nextImplementation();
    const call: Call = { arguments: args, error: undefined, result: undefined, stack: new Error(), target, this: this };
    try {
      const result = run === undefined ? undefined : target ? Reflect.construct(run, args, target) : run.apply(this, args);
      call.result = result;
      return result;
    } catch (error) {
      call.error = error;
      throw error;
    } finally {
      context.record(call);
    }
  } as MockFunction;
  Object.defineProperty(mock, 'mock', { value: context, enumerable: false });
  if (original) Object.defineProperty(mock, 'length', { value: original.length });
  return mock;
}

export class MockTracker {
  #mocks: MockFunctionContext[] = [];

  fn(original?: unknown, implementation?: unknown, options?: MockOptions): MockFunction {
    const base = typeof original === 'function' ? (original as AnyFunction) : () => undefined;
    let impl = typeof implementation === 'function' ? (implementation as AnyFunction) : undefined;
    let opts = options;
    if (implementation !== null && typeof implementation === 'object') {
      opts = implementation as MockOptions;
      impl = undefined;
    }
    const mock = createMock(base, impl ?? base, undefined, opts?.times);
    this.#mocks.push(mock.mock);
    return mock;
  }

  method(object: object, name: PropertyKey, implementation?: unknown, options?: MockOptions): MockFunction {
    let impl = typeof implementation === 'function' ? (implementation as AnyFunction) : undefined;
    let opts = options ?? {};
    if (implementation !== null && typeof implementation === 'object') {
      opts = implementation as MockOptions;
      impl = undefined;
    }
    let owner: object | null = object;
    let descriptor: PropertyDescriptor | undefined;
    while (owner && !(descriptor = Object.getOwnPropertyDescriptor(owner, name))) owner = Object.getPrototypeOf(owner) as object | null;
    if (!descriptor) throw new TypeError(`The argument 'methodName' must be a method. Received undefined`);
    const kind = opts.getter ? 'get' : opts.setter ? 'set' : 'value';
    const original = descriptor[kind] as AnyFunction | undefined;
    if (typeof original !== 'function') throw new TypeError(`The argument 'methodName' must be a method. Received ${String(original)}`);
    const own = Object.getOwnPropertyDescriptor(object, name);
    const restore = () => {
      if (own) Object.defineProperty(object, name, own);
      else delete (object as Record<PropertyKey, unknown>)[name];
    };
    const mock = createMock(original, impl ?? original, restore, opts.times);
    Object.defineProperty(object, name, { ...descriptor, [kind]: mock, configurable: true });
    this.#mocks.push(mock.mock);
    return mock;
  }

  getter(object: object, name: PropertyKey, implementation?: unknown, options?: MockOptions): MockFunction {
    return this.method(object, name, implementation, { ...options, getter: true });
  }

  setter(object: object, name: PropertyKey, implementation?: unknown, options?: MockOptions): MockFunction {
    return this.method(object, name, implementation, { ...options, setter: true });
  }

  restoreAll(): void {
    for (const mock of this.#mocks) mock.restore();
  }

  reset(): void {
    this.restoreAll();
    this.#mocks = [];
  }
}
