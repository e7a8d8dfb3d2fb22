// Stands in for the `ws` package in the browser build (vite.config.ts alias): the typed client
// (src/client/client.ts) defaults to `ws` in Node; a browser has WebSocket built in.
export default globalThis.WebSocket;
