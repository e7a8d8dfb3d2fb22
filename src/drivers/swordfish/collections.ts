// Reading Redfish collections politely: every page of `Members@odata.nextLink` followed, the
// members counted from `Members` itself (services get `Members@odata.count` wrong), an absent
// collection (404) read as empty, and members fetched a page at a time so memory stays flat.
import type { Page } from '../driver.js';
import { DriverError } from '../driver-error.js';
import type { Json, RedfishClient } from './redfish-client.js';

/** A member as the collection gave it: a link, or the whole resource (expanded or embedded). */
export type MemberRef = Json & { '@odata.id'?: string };

/** Pages of member references of a collection; `last` is true on the final page. */
export async function* memberPages(client: RedfishClient, path: string): AsyncGenerator<{ members: MemberRef[]; last: boolean }> {
  const seen = new Set<string>();
  let next: string | null = path;
  while (next) {
    if (seen.has(next)) throw new DriverError(`the collection ${path} links back to its page ${next}`);
    seen.add(next);
    const page: Json | null = await client.getOptional(next);
    if (!page) return void (yield { members: [], last: true });
    const members = Array.isArray(page.Members) ? (page.Members as MemberRef[]) : [];
    const link = page['Members@odata.nextLink'];
    next = typeof link === 'string' && link !== '' ? link : null;
    yield { members, last: next === null };
  }
}

/** A reference that is only a link (anything else is the resource itself). */
function isBareLink(ref: MemberRef): boolean {
  return Object.keys(ref).every((k) => k === '@odata.id' || k.startsWith('@odata.') || k.startsWith('@Redfish.'));
}

/** The resources behind references: fetched (at most `limit` in flight, by the client) unless given whole. */
export async function resolve(client: RedfishClient, refs: MemberRef[]): Promise<Json[]> {
  const got = await Promise.all(
    refs.map((ref) => (isBareLink(ref) && ref['@odata.id'] ? client.getOptional(ref['@odata.id']) : Promise.resolve(ref as Json))),
  );
  // A member deleted between the listing and its read is gone: not an error.
  return got.filter((r): r is Json => r !== null);
}

/**
 * Pages of mapped resources of one or more sources (collections or plain reference lists), at
 * most `pageSize` per page; an empty listing is one empty page.
 */
export async function* resourcePages<T>(
  client: RedfishClient,
  sources: Array<string | MemberRef[]>,
  pageSize: number,
  map: (resource: Json) => T | Promise<T>,
): AsyncGenerator<Page<T>> {
  let yielded = false;
  for (const source of sources) {
    const pages = typeof source === 'string' ? memberPages(client, source) : inline(source);
    for await (const { members } of pages) {
      for (let i = 0; i < members.length; i += pageSize) {
        const items = await Promise.all((await resolve(client, members.slice(i, i + pageSize))).map(map));
        yield { items };
        yielded = true;
      }
    }
  }
  if (!yielded) yield { items: [] };
}

async function* inline(refs: MemberRef[]): AsyncGenerator<{ members: MemberRef[]; last: boolean }> {
  yield { members: refs, last: true };
}

/** Every member of a collection, fetched (for small collections: storages, controllers, systems). */
export async function allMembers(client: RedfishClient, path: string): Promise<Json[]> {
  const out: Json[] = [];
  for await (const { members } of memberPages(client, path)) out.push(...(await resolve(client, members)));
  return out;
}
