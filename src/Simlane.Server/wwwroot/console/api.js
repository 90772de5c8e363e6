// The console's only way to the server: the public REST API, with the signed-in operator's API key and token,
// so every action goes through the same lifecycle rules and permissions as any other client.
const SESSION = 'simlane.session';

export function session() {
  try { return JSON.parse(sessionStorage.getItem(SESSION)); } catch { return null; }
}

export function setSession(value) {
  if (value) sessionStorage.setItem(SESSION, JSON.stringify(value)); else sessionStorage.removeItem(SESSION);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

function url(path, query) {
  const u = new URL(path.startsWith('/v1') ? path : `/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v);
  }
  return u;
}

/** Calls the API; answers { data, headers }. Throws ApiError with the server's code and message on 4xx/5xx. */
export async function call(method, path, { body, query, anonymous } = {}) {
  const headers = { Accept: 'application/json' };
  const s = session();
  if (!anonymous && s) {
    headers['X-Soracom-API-Key'] = s.apiKey;
    headers['X-Soracom-Token'] = s.token;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch { data = text; } }
  if (!response.ok) {
    if (response.status === 401 && !anonymous) {
      setSession(null);
      location.hash = '#/signin';
    }
    throw new ApiError(response.status, data && data.code, data && data.message);
  }
  return { data, headers: response.headers };
}

export const get = (path, query) => call('GET', path, { query }).then(r => r.data);
export const post = (path, body, query) => call('POST', path, { body, query }).then(r => r.data);
export const put = (path, body) => call('PUT', path, { body }).then(r => r.data);
export const del = (path) => call('DELETE', path).then(r => r.data);

/** One page of a list: { items, nextKey } (x-soracom-next-key). */
export async function page(path, query) {
  const r = await call('GET', path, { query });
  return { items: r.data || [], nextKey: r.headers.get('x-soracom-next-key') };
}

/** Every item of a paged list, following x-soracom-next-key (bounded by maxItems). */
export async function all(path, query = {}, maxItems = 10000) {
  const items = [];
  let key;
  do {
    const p = await page(path, { ...query, last_evaluated_key: key });
    items.push(...p.items);
    key = p.nextKey;
  } while (key && items.length < maxItems);
  return items;
}

/** Signs in with { email, password } or { authKeyId, authKey }; keeps the session for this browser tab. */
export async function signIn(credentials) {
  const r = await call('POST', '/auth', { body: credentials, anonymous: true });
  setSession({ apiKey: r.data.apiKey, token: r.data.token, operatorId: r.data.operatorId });
  return r.data;
}

export async function signOut() {
  try { await call('POST', '/auth/logout'); } catch { /* the session is dropped anyway */ }
  setSession(null);
}
