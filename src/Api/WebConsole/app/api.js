// Calls to the API with the app key the user signed in with (kept in this tab's sessionStorage only).
const keyName = 'productevents-console-key';

export const appKey = {
  get: () => sessionStorage.getItem(keyName),
  set: (key) => sessionStorage.setItem(keyName, key),
  clear: () => sessionStorage.removeItem(keyName),
};

/** A 4xx/5xx answer: its problem+json (title, detail, errors by field). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.errors = problem.errors || {};
  }

  /**
   * The endpoint does not exist on this server (an older version: 404 without a problem of its own, or 405), or its
   * feature is switched off there (analytics: ProductEvents:Ingest:Analytics false).
   */
  get notAvailable() {
    return this.status === 405 || (this.status === 404 && (!this.problem.detail || this.problem.title === 'Analytics are off'));
  }
}

/** path is relative to the API root, such as "api/v1/segments"; the console lives at <root>/console/. */
export async function api(path, { method = 'GET', body, key = appKey.get() } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (key) headers.Authorization = `Token ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(`../${path}`, document.baseURI), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    throw new ApiError(response.status, data && typeof data === 'object' ? data : { title: `HTTP ${response.status}` });
  }
  return data;
}

export const q = encodeURIComponent;
