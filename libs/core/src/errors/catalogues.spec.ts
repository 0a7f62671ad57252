import { globSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ErrorCatalogue, ErrorSpecs } from './catalogue';

const ROOT = join(__dirname, '../../../..');

/** Every library's catalogue, as its `errors.ts` exports it (however many libraries have one). */
function loadCatalogues(): { file: string; catalogue: ErrorCatalogue<ErrorSpecs> }[] {
  return globSync('libs/*/src/errors.ts', { cwd: ROOT }).sort().flatMap((file) => {
    const exported = Object.values(require(join(ROOT, file)) as Record<string, unknown>);
    return exported.filter(isCatalogue).map((catalogue) => ({ file: relative(ROOT, join(ROOT, file)), catalogue }));
  });
}

function isCatalogue(value: unknown): value is ErrorCatalogue<ErrorSpecs> {
  const c = value as Partial<ErrorCatalogue<ErrorSpecs>> | null;
  return !!c && typeof c.library === 'string' && typeof c.specs === 'object' && typeof c.error === 'function';
}

describe('Error catalogues (libs/*/src/errors.ts)', () => {
  const catalogues = loadCatalogues();

  it('core declares the codes the API answers itself', () => {
    const core = catalogues.find((c) => c.catalogue.library === 'core');
    expect(core?.catalogue.specs).toMatchObject({
      CONCURRENT_UPDATE: { status: 409 }, SERVICE_UNAVAILABLE: { status: 503 }, RATE_LIMITED: { status: 429 },
      VALIDATION_FAILED: { status: 400 }, NOT_FOUND: { status: 404 }, FORBIDDEN: { status: 403 }, UNAUTHENTICATED: { status: 401 },
    });
  });

  it('each errors.ts exports one catalogue per library name, of error statuses with a message', () => {
    expect(catalogues.length).toBeGreaterThan(0);
    const names = catalogues.map((c) => c.catalogue.library);
    expect(new Set(names).size).toBe(names.length);
    for (const { file, catalogue } of catalogues) {
      for (const [code, spec] of Object.entries(catalogue.specs)) {
        expect({ file, code, ok: /^[A-Z][A-Z0-9_]*$/.test(code) && spec.status >= 400 && spec.status < 600 && !!spec.message })
          .toEqual({ file, code, ok: true });
      }
    }
  });

  it('a code declared by several libraries has the same status in each (clients key on the code)', () => {
    // A library's sub-catalogue (`identity.credentials`) names an operation's own status for a code; across libraries, one.
    const byCode = new Map<string, Map<number, Set<string>>>();
    for (const { catalogue } of catalogues) {
      for (const [code, spec] of Object.entries(catalogue.specs)) {
        const byStatus = byCode.get(code) ?? new Map<number, Set<string>>();
        byStatus.set(spec.status, (byStatus.get(spec.status) ?? new Set()).add(catalogue.library.split('.')[0]));
        byCode.set(code, byStatus);
      }
    }
    const conflicts = [...byCode]
      .filter(([, byStatus]) => byStatus.size > 1 && new Set([...byStatus.values()].flatMap((libs) => [...libs])).size > 1)
      .map(([code, byStatus]) => `${code}: ${[...byStatus].map(([status, libs]) => `${status} in ${[...libs].join(', ')}`).join('; ')}`);
    expect(conflicts).toEqual([]);
  });

  it('an error from a catalogue carries the declared code and status, and the default text unless given one', () => {
    for (const { catalogue } of catalogues) {
      const [code, spec] = Object.entries(catalogue.specs)[0] ?? [];
      if (!code) continue;
      const error = catalogue.error(code);
      expect([error.code, error.status, error.message]).toEqual([code, spec.status, spec.message]);
      expect(catalogue.error(code, 'more precise').message).toBe('more precise');
    }
  });
});
