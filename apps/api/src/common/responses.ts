import type { ApiResponseOptions, SchemaObject } from '@nestjs/swagger';

/** RFC 9457 problem details as ProblemFilter writes them; a domain error may add extension members (e.g. retryAfterSeconds). */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:prestagate:problem:not-found' },
    title: { type: 'string', example: 'Not Found' },
    status: { type: 'integer', example: 404 },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable code', example: 'NOT_FOUND' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array', description: 'Every field problem of a refused input',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
};

/** An answer that is a problem (application/problem+json), for an operation's own description of a status. */
export const problem = (description: string) => ({
  description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** Any operation may refuse a request (4XX) or find a dependency away (503, with Retry-After); a 500 is a defect, never documented. */
export const PROBLEM_RESPONSES: ApiResponseOptions[] = [
  { status: '4XX', ...problem('The request is refused: see the problem\'s code') },
  { status: 503, ...problem('A dependency (PostgreSQL, Redis) is unreachable: nothing was done; try again after Retry-After seconds') },
];

/** A stored PDF, sent as uploaded (sendFile). */
export const PDF_FILE: ApiResponseOptions = {
  description: 'The PDF as uploaded; X-Checksum-Sha256 gives its digest',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};

/** R-ART34 a review's evidence: the campaign and its rows as JSON, the rows as CSV, or a self-contained page. */
export const EVIDENCE: ApiResponseOptions = {
  content: {
    'application/json': {
      schema: {
        type: 'object', required: ['campaign', 'rows'],
        properties: { campaign: { type: 'object' }, rows: { type: 'array', items: { type: 'object' } } },
      },
    },
    'text/csv': { schema: { type: 'string' } },
    'text/html': { schema: { type: 'string' } },
  },
};
