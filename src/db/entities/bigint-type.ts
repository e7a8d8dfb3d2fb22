import { BigIntType } from '@mikro-orm/core';

/** Capacities are bytes: bigint in TypeScript, bigint in PostgreSQL, never a lossy number. */
export const bytes = () => new BigIntType('bigint');
