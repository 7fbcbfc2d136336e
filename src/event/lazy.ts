// Tables that most runs never read are built on first use: a host pays nothing for them at import.

/** Returns `build()`, called once, on the first call. */
export function lazy<T>(build: () => T): () => T {
  let built: { readonly value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
