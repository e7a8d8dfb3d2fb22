// The typed client of the delfin API: createDelfinClient, and the generated documents and types.
export * from './client.js';
export * from './generated/graphql.js';
