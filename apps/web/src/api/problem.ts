import type { Problem } from './types';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

/** No answer at all (offline, server down): status 0, so that forms say so in the person's language. */
export function networkError(error: unknown): ApiError {
  if (error instanceof DOMException && error.name === 'AbortError') throw error;
  return new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK', detail: '' });
}

/** A refusal as a problem: the API's problem+json body, else one made of the status line. */
export function problemOf(response: Response, body: unknown): Problem {
  const made = { type: 'about:blank', title: response.statusText, status: response.status, detail: '', code: `HTTP_${response.status}` };
  return body && typeof body === 'object' ? { ...made, ...body } : made;
}

/** The body of a refusal read from the response itself (downloads, refresh). */
export async function problemIn(response: Response): Promise<Problem> {
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return problemOf(response, json ? await response.json().catch(() => null) : null);
}
