/** Collects items into batches bounded by count and by uncompressed bytes. */
export interface BatchBuilder<T> {
  /** Adds an item; returns the batch it closed when the item did not fit, else undefined. */
  add(item: T): T[] | undefined;
  /** Returns what is left, if anything. */
  finish(): T[] | undefined;
}

export function createBatchBuilder<T extends { readonly line: string }>(
  maxEvents: number,
  maxBytes: number,
): BatchBuilder<T> {
  let current: T[] = [];
  let bytes = 0;
  const take = () => {
    const full = current;
    current = [];
    bytes = 0;
    return full.length > 0 ? full : undefined;
  };
  return {
    add(item) {
      const size = Buffer.byteLength(item.line) + 1;
      const closed = current.length >= maxEvents || bytes + size > maxBytes ? take() : undefined;
      current.push(item);
      bytes += size;
      return closed;
    },
    finish: take,
  };
}
