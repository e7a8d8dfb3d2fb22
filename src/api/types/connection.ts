// Relay-style connections: one generic factory, one concrete class per node type.
import type { ClassType } from 'type-graphql';
import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './node.js';

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** Counted only when read: the totalCount field's resolver reads it if the client selects it. */
  readonly totalCount: number | Promise<number>;
}

export function connectionTypes<T extends object>(name: string, node: ClassType<T>) {
  // An edge's fields are plain reads (no middleware): a page is up to a thousand of them.
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements Connection<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many match, counted only when asked for (at a cost that grows with them).' })
    totalCount!: number | Promise<number>;
  }
  return ConnectionType;
}
