// Reads an async iterable one item ahead: while the consumer works on item n (a sync writing a
// page to the database), item n+1 is already being fetched (the driver reading the next page).
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = it.next();
      // A failure of the fetch ahead surfaces when the consumer asks for it, not unhandled before.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await it.return?.();
  }
}
