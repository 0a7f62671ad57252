import { appendFileSync } from 'node:fs';
import type { Response } from 'supertest';
import Test from 'supertest/lib/test';
import { OpenApiContract } from './openapi-contract';

type Done = (this: Test, error: Error | null, res: Response) => void;
type Assert = (this: Test, resError: Error | null, res: Response | undefined, done?: Done) => void;

const WATCHED = Symbol.for('prestagate.every-answer');
let contract: OpenApiContract | undefined;

/** The contract every supertest answer of this test file is checked against (the API's own /docs-json). */
export function checkAnswersAgainst(given: OpenApiContract): void {
  contract = given;
  watchEveryAnswer();
}

export function answersChecked(): OpenApiContract['counts'] | undefined {
  return contract?.counts;
}

/** PRESTAGATE_CONTRACT_REPORT=<file>: a survey of the suite, violations appended to the file instead of failing. */
const REPORT = process.env.PRESTAGATE_CONTRACT_REPORT;

function refuse(message: string): Error | null {
  if (!REPORT) return new Error(message);
  appendFileSync(REPORT, `${JSON.stringify({ ...where(), message })}\n`);
  return null;
}

/** With PRESTAGATE_CONTRACT_REPORT, the file's counts are appended too (TestContext.close()). */
export function reportAnswersChecked(): void {
  if (REPORT && contract) appendFileSync(REPORT, `${JSON.stringify({ ...where(), counts: contract.counts })}\n`);
}

function where(): { file?: string; test?: string } {
  const state = (globalThis as { expect?: { getState(): { testPath?: string; currentTestName?: string } } }).expect?.getState();
  return { file: state?.testPath?.replace(/^.*\/test\//, 'test/'), test: state?.currentTestName };
}

/**
 * supertest runs a request's own expectations in Test.assert, then settles the promise the test awaits:
 * once they pass, the answer is checked against the document, and a violation fails that request like a
 * failed expect() would. Every Test of the file goes through it, whichever agent or server made it.
 */
function watchEveryAnswer(): void {
  const prototype = Test.prototype as unknown as { assert: Assert; [WATCHED]?: true };
  if (prototype[WATCHED]) return;
  prototype[WATCHED] = true;
  const assert = prototype.assert;
  prototype.assert = function (this: Test, resError, res, done) {
    const request = this;
    assert.call(this, resError, res, function (this: Test, error, answered) {
      const verdict = !error && answered && contract ? contract.check(answerOf(request, answered)) : undefined;
      const violation = verdict?.kind === 'violation' ? refuse(verdict.message) : null;
      done?.call(this, error ?? violation, answered);
    });
  };
}

function answerOf(request: Test, res: Response) {
  return {
    method: request.method, path: new URL(request.url).pathname, status: res.status,
    headers: res.headers as Record<string, string>, body: res.body as unknown, text: res.text,
  };
}
