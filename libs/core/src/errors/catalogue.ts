import { DomainError, FieldError, ValidationFailed } from './domain-error';
import { Localised, Params, placeholders, registerTexts, Text } from './text';

/**
 * One entry of a library's `errors.json`: the HTTP status, the text in French and English (R-L10N, `{name}` parameters),
 * the code answered when it is not the entry's key (a variant of a shared code), and a field message for a 400.
 */
export interface ErrorSpec extends Localised {
  readonly status: number;
  readonly code?: string;
  readonly field?: Localised;
}
export type ErrorSpecs = Record<string, ErrorSpec>;

export interface ErrorCatalogue<S extends ErrorSpecs> {
  readonly library: string;
  readonly specs: S;
  /** The error to throw, its text completed by `params`; `extra` are machine-readable members of the problem. */
  error(code: keyof S & string, params?: Params, extra?: Record<string, unknown>): DomainError;
  /** A 400 whose entry has a `field` message: `field` names the property path in the problem's `errors`. */
  invalid(code: keyof S & string, field: string, params?: Params): ValidationFailed;
  /** The entry's text, for a message built elsewhere (a field of a larger list). */
  text(code: keyof S & string, params?: Params, part?: 'field'): Text;
}

const catalogues = new Map<string, ErrorCatalogue<ErrorSpecs>>();

/** Declares a library's errors once (in its `errors.ts`, from its `errors.json`); a code declared by two libraries must mean the same. */
export function defineErrors<const S extends ErrorSpecs>(library: string, specs: S): ErrorCatalogue<S> {
  registerTexts(library, specs);
  const text = (code: string, params?: Params, part?: 'field'): Text => {
    if (process.env.NODE_ENV === 'test') assertParams(`${library}:${code}`, part ? specs[code]?.field : specs[code], params);
    return { catalogue: library, key: code, params, part };
  };
  const catalogue: ErrorCatalogue<S> = {
    library,
    specs,
    text,
    error(code, params, extra = {}) {
      const spec = specs[code];
      return new DomainError(spec.code ?? code, spec.status, text(code, params), extra);
    },
    invalid(code, field, params) {
      const errors: FieldError[] = [{ field, message: text(code, params, specs[code].field ? 'field' : undefined) }];
      return new ValidationFailed(text(code, params), errors);
    },
  };
  catalogues.set(library, catalogue as unknown as ErrorCatalogue<ErrorSpecs>);
  return catalogue;
}

/**
 * Under the tests only: a text thrown without a parameter it names fails loudly (a 500 the test sees), instead of
 * answering "{person}" to a reader. The catalogue spec checks the literal call sites; this, every path a test runs.
 */
function assertParams(where: string, text: Localised | undefined, params: Params = {}): void {
  const lacking = text ? placeholders(text.en).filter((name) => !(name in params)) : [];
  if (!text || lacking.length) throw new Error(`R-L10N ${where} ${text ? `needs ${lacking.join(', ')}` : 'has no such text'}`);
}

/** Every catalogue loaded so far, by library: the documentation and its test read them. */
export function errorCatalogues(): ReadonlyMap<string, ErrorCatalogue<ErrorSpecs>> {
  return catalogues;
}
