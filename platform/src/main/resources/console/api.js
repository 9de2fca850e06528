// The staff API, same origin. The session cookie goes with every call; a state-changing call also
// carries the session's CSRF token, which the server requires with the cookie.

/** A refused or failed call: the problem's title, detail and HTTP status. */
export class ApiError extends Error {
  constructor(status, title, detail, problem) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problem = problem;
  }
}

let csrfToken = null;
let onUnauthorized = () => {};

/** The session's CSRF token (null when signed out); set by app.js. */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** Called when a call other than the session's own answers 401: the session ended. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/** "/devices" and "/api/v1/devices" name the same resource. */
export function apiUrl(path, params) {
  const url = new URL(path.startsWith('/api/') ? path : `/api/v1${path}`, location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
    else url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

async function request(method, path, { params, body } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The platform cannot be reached', e.message, null);
  }
  const type = response.headers.get('content-type') || '';
  const payload = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const problem = payload || {};
    const error = new ApiError(
      response.status,
      problem.title || `${response.status} ${response.statusText}`,
      problem.detail || '',
      payload,
    );
    if (response.status === 401 && !apiUrl(path).startsWith('/api/v1/session')) {
      onUnauthorized(error);
    }
    throw error;
  }
  return response.status === 204 ? null : payload;
}

export const api = {
  get: (path, params) => request('GET', path, { params }),
  post: (path, body) => request('POST', path, { body: body === undefined ? {} : body }),
  patch: (path, body) => request('PATCH', path, { body }),
  put: (path, body) => request('PUT', path, { body }),
  del: (path) => request('DELETE', path),
};
