import { Page, PageQuery, UserPrincipal } from '@app/core';
import { ContractorView } from '@app/contractors';
import { PeopleService } from '@app/identity';
import { AuditTarget } from './audit-extract';
import { EvidenceArchive } from './evidence-archive';

/** The folders of an evidence pack, in the order its README lists them. */
export const PACK_DIRS = {
  contractor: '01-prestataire',
  signed: '02-documents-signes',
  accounts: '03-comptes',
  scope: '04-habilitations',
  reviews: '05-revues',
  interventions: '06-interventions',
  derogations: '07-derogations',
  anomalies: '08-anomalies',
  incidents: '09-incidents',
  audit: '10-journal-audit',
} as const;

/** A person named in the pack (validator, author, declarant): who, not just an id. */
export interface PersonRef {
  id: string;
  name: string;
  email: string;
}

/** Resolves the people of the tenant the pack names, each read once. */
export class People {
  private readonly known = new Map<string, Promise<PersonRef | null>>();

  constructor(
    private readonly users: PeopleService,
    private readonly tenantId: string,
  ) {}

  of(userId: string | null | undefined): Promise<PersonRef | null> {
    if (!userId) return Promise.resolve(null);
    let person = this.known.get(userId);
    if (!person) {
      person = this.users.findInScope({ tenantId: this.tenantId }, userId)
        .then((u) => (u ? { id: u.id, name: `${u.firstName} ${u.lastName}`.trim(), email: u.email } : { id: userId, name: '', email: '' }));
      this.known.set(userId, person);
    }
    return person;
  }
}

/** What every section of the pack works with. */
export interface PackContext {
  readonly principal: UserPrincipal;
  readonly tenantId: string;
  readonly contractor: ContractorView;
  readonly archive: EvidenceArchive;
  readonly people: People;
  /** How many of each thing the pack holds (manifest.json `counts`). */
  readonly counts: Record<string, number>;
  /** The last event of the audit chain the verification covered: every audit read of the pack stops there. */
  readonly upToSeq: number;
  /** The objects whose audit events belong in the extract; each section adds its own. */
  readonly auditTargets: AuditTarget[];
}

export function addTargets(pack: PackContext, type: string, ids: Iterable<string | null | undefined>): void {
  for (const id of ids) if (id) pack.auditTargets.push({ type, id });
}

/** Every item of a paged list, page after page (a contractor's accounts, anomalies, sessions...). */
export async function allPages<T>(fetch: (page: PageQuery) => Promise<Page<T>>, limit = 200): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch({ limit, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
