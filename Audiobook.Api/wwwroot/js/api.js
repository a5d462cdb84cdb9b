// The Audiobook API, from the browser: same origin, tokens kept for the browser session only.
// The access token lives 15 minutes; on a 401 the refresh token (usable once) buys a new pair.
const TOKEN_KEY = 'audiobook.token';
const REFRESH_KEY = 'audiobook.refresh';

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

// Problem details (RFC 9457) in plain words: the detail, plus each field's complaint.
function describe(status, problem) {
  if (!problem) return `The server answered ${status}.`;
  const fields = problem.errors ? Object.values(problem.errors).flat() : [];
  return [problem.detail ?? problem.title, ...fields].filter(Boolean).join(' ');
}

function stored(key) {
  return {
    get: () => sessionStorage.getItem(key),
    set: value => value ? sessionStorage.setItem(key, value) : sessionStorage.removeItem(key),
  };
}
const accessToken = stored(TOKEN_KEY);
const refreshToken = stored(REFRESH_KEY);

export const session = {
  get token() { return accessToken.get(); },
  /** Keeps the answer of sign-in or refresh: `{accessToken, refreshToken}`. */
  start(tokens) {
    accessToken.set(tokens.accessToken);
    refreshToken.set(tokens.refreshToken);
  },
  clear() {
    accessToken.set(null);
    refreshToken.set(null);
  },
};

// One refresh at a time: parallel 401s share it (a refresh token works only once).
let refreshing = null;
function refresh() {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: refreshToken.get() }),
      });
      if (!response.ok) return false;
      session.start(await response.json());
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Signs out on the server (ends the session everywhere its tokens went), then forgets the tokens. */
export async function signOutSession() {
  if (session.token) {
    await api('POST', '/api/v1/auth/logout').catch(() => {});
  }
  session.clear();
}

export async function api(method, path, body, options = {}) {
  const response = await sendPolitely(method, path, body, options);
  if (response.status === 401 && session.token && !path.startsWith('/api/v1/auth/') && await refresh()) {
    return read(await sendPolitely(method, path, body, options), path);
  }
  return read(response, path);
}

// Told to slow down (429), a request that may safely be repeated waits as long as Retry-After says
// (a few seconds at most) and tries again, twice at most; anything else shows the server's answer.
const REPEATABLE = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
async function sendPolitely(method, path, body, options) {
  for (let attempt = 0; ; attempt++) {
    const response = await send(method, path, body, options);
    const wait = Number(response.headers.get('Retry-After'));
    const repeatable = REPEATABLE.has(method) || options.idempotencyKey;
    if (response.status !== 429 || !repeatable || attempt === 2 || !(wait >= 0 && wait <= 10)) return response;
    await new Promise(resolve => setTimeout(resolve, Math.max(wait, 1) * 1000));
  }
}

async function send(method, path, body, { keepalive = false, idempotencyKey = null }) {
  const headers = { Accept: 'application/json' };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), keepalive });
  } catch {
    throw new ApiError(0, { detail: 'The server cannot be reached. Check your connection and try again.' });
  }
}

async function read(response, path) {
  if (response.status === 204) return null;
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && session.token && !path.startsWith('/api/v1/auth/')) {
      session.clear();
      window.dispatchEvent(new Event('signed-out'));
    }
    throw new ApiError(response.status, json);
  }
  return json;
}

// PUTs a file straight to storage with the presigned URL, reporting progress (0–1).
export function putToStorage(ticket, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(ticket.method, ticket.url);
    for (const [name, value] of Object.entries(ticket.headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    request.onload = () => request.status >= 200 && request.status < 300
      ? resolve()
      : reject(new ApiError(request.status, { detail: `Storage refused the upload (${request.status}).` }));
    request.onerror = () => reject(new ApiError(0, { detail: 'The upload was interrupted. Try again.' }));
    request.send(file);
  });
}

export function formatTime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds % 60).toString().padStart(2, '0');
  const m = Math.floor(seconds / 60) % 60;
  const h = Math.floor(seconds / 3600);
  return h > 0 ? `${h}:${m.toString().padStart(2, '0')}:${s}` : `${m}:${s}`;
}
