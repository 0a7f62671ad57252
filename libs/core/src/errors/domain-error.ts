export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failure the caller can act on. `code` is stable (clients and tests rely on it);
 * the HTTP status is chosen here once, and mapped to problem+json by ProblemFilter.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', 404, `${what} not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Your role does not allow this action') {
    super('FORBIDDEN', 403, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super(code, 409, message, extra);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code = 'UNAUTHENTICATED', message = 'Authentication required') {
    super(code, 401, message);
  }
}

/** Too many of one action: answered 429 with `Retry-After` (seconds) set from `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, message, { retryAfterSeconds });
  }
}

export class ValidationFailed extends DomainError {
  constructor(message: string, readonly errors: FieldError[] = []) {
    super('VALIDATION_FAILED', 400, message, { errors });
  }
}
