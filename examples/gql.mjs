#!/usr/bin/env node
// Sends one GraphQL query or mutation over HTTP and prints the answer.
// usage: node examples/gql.mjs 'query or mutation' ['{"variables": "as JSON"}']
// The same settings as the `delfin` command: DELFIN_URL (default http://127.0.0.1:4000/graphql),
// DELFIN_TOKEN (sent as a bearer token).
const [query, variables] = process.argv.slice(2);
if (!query) {
  console.error("usage: node examples/gql.mjs '{ storages { totalCount } }' ['{\"id\": \"…\"}']");
  process.exit(2);
}
const url = process.env.DELFIN_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.DELFIN_TOKEN;

function fail(message) {
  process.stderr.write(`gql: ${message}\n`);
  process.exit(1);
}

let parsed;
try {
  parsed = variables ? JSON.parse(variables) : undefined;
} catch (err) {
  fail(`the variables are not JSON: ${err.message}`);
}
let res;
try {
  res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables: parsed }),
  });
} catch (err) {
  fail(`cannot reach the delfin API at ${url}: ${err.cause?.message ?? err.message}`);
}
const text = await res.text();
let answer;
try {
  answer = JSON.parse(text);
} catch {
  fail(`the API at ${url} answered HTTP ${res.status} with no JSON: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
}
console.log(JSON.stringify(answer, null, 2));
// An answer with errors is printed whole (codes and all), and the exit code says so.
if (answer.errors?.length) process.exitCode = 1;
