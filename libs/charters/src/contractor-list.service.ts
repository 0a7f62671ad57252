import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { encodeCursor, Page, PageQuery, UserPrincipal } from '@app/core';
import { contractorListKey, ContractorsService, ContractorView } from '@app/contractors';
import { GateService } from './gate.service';
import { GateView } from './views';

export const GATE_STATES = ['open', 'closed'] as const;
export type GateState = (typeof GATE_STATES)[number];

export class ContractorWithGateView extends ContractorView {
  @ApiProperty({ type: GateView, description: 'R-ART2: the same answer as GET /v1/contractors/{id}/gate' }) gate: GateView;
}

/**
 * With `gate`, the list is read in pages of this many companies (in the list's order) until `limit`
 * matching ones are found: the filter applies before paging, at six to eight statements per scanned
 * page (eight when running prestations require the RGPD clauses and the security referential).
 */
const SCAN = 200;

/**
 * GET /v1/contractors with each company's gate (R-ART2, R-ART4 for a subcontractor's prime), evaluated
 * for the whole page by GateService.evaluateMany (six statements whatever the page size), in the list's
 * own order, paging and visibility (ContractorsService.list).
 */
@Injectable()
export class ContractorListService {
  constructor(private readonly contractors: ContractorsService, private readonly gates: GateService) {}

  async list(principal: UserPrincipal, query: PageQuery & { gate?: GateState }): Promise<Page<ContractorWithGateView>> {
    if (!query.gate) {
      const page = await this.contractors.list(principal, query.limit, query.cursor);
      return { items: await this.withGates(principal, page.items), nextCursor: page.nextCursor };
    }
    const open = query.gate === 'open';
    const kept: ContractorWithGateView[] = [];
    let cursor = query.cursor;
    for (;;) {
      const scanned = await this.contractors.list(principal, SCAN, cursor);
      for (const item of await this.withGates(principal, scanned.items)) {
        if (item.gate.open !== open) continue;
        if (kept.length === query.limit) {
          // One more match than the page holds: the next page starts after the last one kept.
          const last = kept[kept.length - 1];
          return { items: kept, nextCursor: encodeCursor(contractorListKey(last)) };
        }
        kept.push(item);
      }
      if (!scanned.nextCursor) return { items: kept, nextCursor: null };
      cursor = scanned.nextCursor;
    }
  }

  private async withGates(principal: UserPrincipal, items: ContractorView[]): Promise<ContractorWithGateView[]> {
    if (!items.length) return [];
    const gates = await this.gates.evaluateMany(principal.tenantId!, items.map((c) => c.id));
    return items.map((c) => {
      const { open, missing } = gates.get(c.id)!;
      return { ...c, gate: { open, missing } };
    });
  }
}
