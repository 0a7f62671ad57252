import type { Response } from 'supertest';

/** A refusal answered as problem+json with a human `detail`, carrying `code` when given. */
export function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (code) expect(res.body.code).toBe(code);
}
