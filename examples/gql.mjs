#!/usr/bin/env node
// Sends one GraphQL query or mutation over HTTP and prints the answer.
// usage: node examples/gql.mjs 'query or mutation' ['{"variables": "as JSON"}']   (DELFIN_URL, default http://127.0.0.1:4000/graphql)
const [query, variables] = process.argv.slice(2);
if (!query) {
  console.error("usage: node examples/gql.mjs '{ storages { totalCount } }' ['{\"id\": \"…\"}']");
  process.exit(2);
}
const url = process.env.DELFIN_URL ?? 'http://127.0.0.1:4000/graphql';
const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables: variables ? JSON.parse(variables) : undefined }),
});
console.log(JSON.stringify(await res.json(), null, 2));
