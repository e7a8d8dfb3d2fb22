// Ids are UUIDv7: unique across processes without a round trip, and ordered by creation time,
// so keyset paging on id lists rows in the order they were created.
import { v7 } from 'uuid';

export const newId = (): string => v7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (value: string): boolean => UUID.test(value);
