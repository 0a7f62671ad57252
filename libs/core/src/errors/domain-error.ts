import coreTexts from '../errors.json';
import nouns from './nouns.json';
import statuses from './statuses.json';
import { Localised, registerTexts, renderText, Text } from './text';

// Registered here too, so an error built before `errors.ts` is loaded still reads its text.
registerTexts('core', coreTexts);
registerTexts('nouns', nouns);

/** A thing a message can name without its identifier ("this contractor"), in both languages. */
export type Noun = keyof typeof nouns;

export function noun(what: Noun): Localised {
  return nouns[what];
}

/** A status as a reader says it ("désactivé"); an unknown one as stored. */
export function statusWord(status: string): Localised | string {
  return (statuses as Record<string, Localised>)[status] ?? status;
}

export interface FieldError {
  field: string;
  /** A text rendered in the caller's language (R-L10N), or a plain string. */
  message: string | Text;
}

/**
 * A failure the caller can act on. `code` is stable (clients and tests rely on it);
 * the HTTP status is chosen here once, and mapped to problem+json by ProblemFilter.
 * `message` is English (logs); `text`, when given, is what the caller reads, in their language (R-L10N).
 */
export class DomainError extends Error {
  readonly text: Text | undefined;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string | Text,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(typeof message === 'string' ? message : renderText(message, 'en'));
    this.name = 'DomainError';
    this.text = typeof message === 'string' ? undefined : message;
  }
}

const core = (key: string, params?: Text['params']): Text => ({ catalogue: 'core', key, params });

export class NotFoundError extends DomainError {
  constructor(what: Noun) {
    super('NOT_FOUND', 404, core('NOT_FOUND', { thing: nouns[what] }));
  }
}

export class ForbiddenError extends DomainError {
  constructor(text: Text = core('FORBIDDEN')) {
    super('FORBIDDEN', 403, text);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string | Text, extra: Record<string, unknown> = {}) {
    super(code, 409, message, extra);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code = 'UNAUTHENTICATED', message: string | Text = core('UNAUTHENTICATED')) {
    super(code, 401, message);
  }
}

/** Too many of one action: answered 429 with `Retry-After` (seconds) set from `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(message: string | Text, readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, message, { retryAfterSeconds });
  }
}

export class ValidationFailed extends DomainError {
  constructor(message: string | Text, readonly errors: FieldError[] = []) {
    super('VALIDATION_FAILED', 400, message, { errors });
  }
}
