import { DomainError } from './domain-error';

/** One library's error codes: the HTTP status of each and its default English text (the console localises by code). */
export type ErrorSpecs = Record<string, { readonly status: number; readonly message: string }>;

export interface ErrorCatalogue<S extends ErrorSpecs> {
  readonly library: string;
  readonly specs: S;
  /** The error to throw; `message` replaces the default when details help the caller. */
  error(code: keyof S & string, message?: string, extra?: Record<string, unknown>): DomainError;
}

const catalogues = new Map<string, ErrorCatalogue<ErrorSpecs>>();

/** Declares a library's errors once (in its `errors.ts`); a code declared by two libraries must mean the same. */
export function defineErrors<const S extends ErrorSpecs>(library: string, specs: S): ErrorCatalogue<S> {
  const catalogue: ErrorCatalogue<S> = {
    library,
    specs,
    error(code, message, extra = {}) {
      const spec = specs[code];
      return new DomainError(code, spec.status, message ?? spec.message, extra);
    },
  };
  catalogues.set(library, catalogue as unknown as ErrorCatalogue<ErrorSpecs>);
  return catalogue;
}

/** Every catalogue loaded so far, by library: the documentation and its test read them. */
export function errorCatalogues(): ReadonlyMap<string, ErrorCatalogue<ErrorSpecs>> {
  return catalogues;
}
