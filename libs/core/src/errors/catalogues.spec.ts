import { globSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ErrorCatalogue, ErrorSpecs } from './catalogue';
import { LANGS, placeholders, renderText } from './text';

const ROOT = join(__dirname, '../../../..');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

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

/** The library a source file belongs to (`libs/<name>/...`; the API application answers core's codes). */
function libraryOf(file: string): string {
  return /^libs\/([^/]+)\//.exec(file)?.[1] ?? 'core';
}

describe('Error catalogues (libs/*/src/errors.ts and errors.json)', () => {
  const catalogues = loadCatalogues();

  it('core declares the codes the API answers itself', () => {
    const core = catalogues.find((c) => c.catalogue.library === 'core');
    expect(core?.catalogue.specs).toMatchObject({
      CONCURRENT_UPDATE: { status: 409 }, SERVICE_UNAVAILABLE: { status: 503 }, RATE_LIMITED: { status: 429 },
      VALIDATION_FAILED: { status: 400 }, NOT_FOUND: { status: 404 }, FORBIDDEN: { status: 403 }, UNAUTHENTICATED: { status: 401 },
    });
  });

  it('each errors.ts exports one catalogue per library name, of error statuses', () => {
    expect(catalogues.length).toBeGreaterThan(0);
    const names = catalogues.map((c) => c.catalogue.library);
    expect(new Set(names).size).toBe(names.length);
    for (const { file, catalogue } of catalogues) {
      for (const [code, spec] of Object.entries(catalogue.specs)) {
        expect({ file, code, ok: /^[A-Z][A-Z0-9_]*$/.test(spec.code ?? code) && spec.status >= 400 && spec.status < 600 })
          .toEqual({ file, code, ok: true });
      }
    }
  });

  it('R-L10N every code of every catalogue reads in French and in English: not empty, same parameters, no UUID, not the same', () => {
    const faults: string[] = [];
    for (const { catalogue } of catalogues) {
      for (const [code, spec] of Object.entries(catalogue.specs)) {
        for (const [part, text] of [['detail', spec], ['field', spec.field]] as const) {
          if (!text) continue;
          const where = `${catalogue.library}:${code} (${part})`;
          if (LANGS.some((lang) => !text[lang]?.trim())) faults.push(`${where}: a language is empty`);
          if (placeholders(text.fr).join() !== placeholders(text.en).join()) faults.push(`${where}: parameters differ`);
          if (LANGS.some((lang) => UUID.test(text[lang]))) faults.push(`${where}: a UUID in the text`);
          if (text.fr === text.en) faults.push(`${where}: the French text is the English one`);
        }
        const rendered = LANGS.map((lang) => renderText({ catalogue: catalogue.library, key: code }, lang));
        if (rendered.some((r) => r.startsWith(`${catalogue.library}:`))) faults.push(`${catalogue.library}:${code}: not registered`);
      }
    }
    expect(faults).toEqual([]);
  });

  it('R-L10N a code thrown in the code base has an entry in its library\'s catalogue, and is given the parameters its text names', () => {
    const specsOf = new Map(catalogues.map((c) => [c.catalogue.library, c.catalogue.specs]));
    const faults: string[] = [];
    const files = globSync('{libs,apps/api,apps/worker}/**/*.ts', { cwd: ROOT }).filter((f) => !/\.(spec|e2e)\.ts$/.test(f));
    for (const file of files) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      for (const m of source.matchAll(/(\w+)Errors\.(error|text|invalid)\(\s*'([A-Z0-9_]+)'(\s*\))?/g)) {
        const library = ({ CredentialChange: 'identity.credentials', Sso: 'identity.sso', Core: 'core' } as Record<string, string>)[m[1]]
          ?? libraryOf(file);
        const spec = specsOf.get(library)?.[m[3]];
        if (!spec) faults.push(`${file}: ${m[1]}Errors.${m[2]}('${m[3]}') has no entry in ${library}`);
        else if (m[4] && placeholders(spec.fr).length) faults.push(`${file}: ${m[3]} needs ${placeholders(spec.fr).join(', ')}`);
      }
      for (const m of source.matchAll(/new DomainError\(\s*'([A-Z0-9_]+)'/g)) {
        if (![...specsOf.values()].some((specs) => Object.values(specs).some((s) => s === specs[m[1]] || s.code === m[1]))) {
          faults.push(`${file}: new DomainError('${m[1]}') has no entry in any catalogue`);
        }
      }
    }
    expect(faults).toEqual([]);
  });

  it('a code declared by several libraries has the same status in each (clients key on the code)', () => {
    // A library's sub-catalogue (`identity.credentials`) names an operation's own status for a code; across libraries, one.
    const byCode = new Map<string, Map<number, Set<string>>>();
    for (const { catalogue } of catalogues) {
      for (const [key, spec] of Object.entries(catalogue.specs)) {
        const code = spec.code ?? key;
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

  it('R-L10N an error from a catalogue carries the answered code and status, its English text as message, both languages as text', () => {
    for (const { catalogue } of catalogues) {
      for (const [code, spec] of Object.entries(catalogue.specs)) {
        if (placeholders(spec.en).length) continue;
        const error = catalogue.error(code);
        expect([error.code, error.status, error.message]).toEqual([spec.code ?? code, spec.status, spec.en]);
        expect(renderText(error.text!, 'fr')).toBe(spec.fr.charAt(0).toUpperCase() + spec.fr.slice(1));
      }
    }
  });
});
