/**
 * @peculiar/x509 depends on tsyringe, which refuses to load unless a
 * `reflect-metadata` polyfill is present. The x509 build registers classes
 * with `@injectable()` but emits no design-type metadata, so three functions
 * over a WeakMap are all tsyringe needs. Installed only when no real polyfill
 * is loaded; imported for its side effect by ./x509.ts before the library.
 */
type MetadataMap = Map<unknown, unknown>;
type ReflectWithMetadata = typeof Reflect & {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
};

const reflect = Reflect as ReflectWithMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<object, MetadataMap>();
  const own = (key: unknown, target: object): unknown => store.get(target)?.get(key);
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key, target) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const v = own(key, t);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  reflect.defineMetadata = (key, value, target) => {
    let m = store.get(target);
    if (m === undefined) store.set(target, (m = new Map()));
    m.set(key, value);
  };
}

export const REFLECT_METADATA_SHIM = true;
