import { defineErrors } from './errors/catalogue';

/** The codes core and the API application answer themselves (HTTP plumbing, files, idempotency). */
export const CoreErrors = defineErrors('core', {
  BAD_REQUEST: { status: 400, message: 'The request cannot be routed' },
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  MALFORMED_BODY: { status: 400, message: 'The body cannot be read' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed here' },
  NOT_ACCEPTABLE: { status: 406, message: 'No acceptable representation' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state' },
  CONCURRENT_UPDATE: { status: 409, message: 'Another change to the same records was being made at the same moment; try again' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still running' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  FILE_TOO_LARGE: { status: 413, message: 'The file is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted here' },
  FILE_NOT_PDF: { status: 415, message: 'The file is not a PDF document' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was used for another request' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; wait a minute and try again' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large' },
  INTERNAL: { status: 500, message: 'An unexpected error occurred' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'A service this request needs is unavailable; try again' },
});
