// The Audiobook API, from the browser: same origin, bearer token kept for the session only.
const TOKEN_KEY = 'audiobook.token';

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

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); },
};

export async function api(method, path, body, { keepalive = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), keepalive });
  } catch {
    throw new ApiError(0, { detail: 'The server cannot be reached. Check your connection and try again.' });
  }
  if (response.status === 204) return null;
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && session.token && !path.startsWith('/api/v1/auth/')) {
      session.token = null;
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
