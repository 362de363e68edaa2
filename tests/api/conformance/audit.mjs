// Runs the graphql-http server audits (GraphQL over HTTP spec) against a live API.
// Usage: node audit.mjs <graphql url> <bearer token>
// Prints one JSON line per audit: {id, name, status, reason?}; exit code 0 even
// when audits fail (the pytest test decides what must pass).
import { serverAudits } from 'graphql-http';

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: node audit.mjs <url> <token>');
  process.exit(2);
}

// The API needs a bearer token on every request; the audits use fetch directly.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    line.reason = result.reason;
  }
  console.log(JSON.stringify(line));
}
