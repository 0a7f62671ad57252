import { Injectable } from '@nestjs/common';
import { addDays, Clock, CONTRACTOR_MANAGERS, hasRole, IsoDate, Role, TenantScope, UserPrincipal } from '@app/core';
import { COMPANY_DOCUMENT_KINDS, DocumentsService, GateService } from '@app/charters';
import { TenantCalendar } from '@app/identity';
import { ClosingVersion, HomeRepository } from './home.repository';
import { HomeTaskKey, HomeTaskView, HomeView } from './home.views';

/** The gates closing "soon" on the DSI's home: within this many days. */
export const HOME_GATE_DAYS = 30;

const RULES: Record<HomeTaskKey, string> = {
  signatures: 'R-ART2', accounts: 'R-ART28', habilitations: 'R-ART31', windows: 'R-ART36', emergencies: 'R-ART36',
  gatesClosing: 'R-ART2', overdueReports: 'R-ART42', reviews: 'R-ART34', anomalies: 'R-ART41', suspendedAccounts: 'R-ART28',
  gate: 'R-ART2', attestations: 'R-ART10',
};

/**
 * R-DIG: what waits for the signed-in person, by role, counted in their establishment (a contractor person: their company).
 * A person with several roles gets each role's tasks once.
 */
@Injectable()
export class HomeService {
  constructor(
    private readonly repo: HomeRepository,
    private readonly documents: DocumentsService,
    private readonly gates: GateService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async of(p: UserPrincipal, scope: TenantScope): Promise<HomeView> {
    const { tenantId } = scope;
    const today = await this.calendar.today(tenantId);
    const now = this.clock.now();
    const tasks = new Map<HomeTaskKey, HomeTaskView>();
    const add = (counts: Partial<Record<HomeTaskKey, number>>, days?: Partial<Record<HomeTaskKey, number>>) => {
      for (const [key, count] of Object.entries(counts) as [HomeTaskKey, number][]) {
        if (!tasks.has(key)) tasks.set(key, { key, count, rule: RULES[key], ...(days?.[key] ? { days: days[key] } : {}) });
      }
    };
    if (hasRole(p, Role.Dsi)) {
      const gatesClosing = await this.gatesClosing(tenantId, today);
      add({ ...(await this.repo.dsi(tenantId, now)), gatesClosing }, { gatesClosing: HOME_GATE_DAYS });
    }
    if (hasRole(p, Role.Rssi, Role.Auditor)) {
      const control = await this.repo.control(tenantId);
      add(hasRole(p, Role.Rssi) ? control : { reviews: control.reviews, anomalies: control.anomalies });
    }
    if (hasRole(p, Role.Referent)) add(await this.repo.referent(tenantId, p.userId, now));
    if (scope.contractorId && hasRole(p, ...CONTRACTOR_MANAGERS)) {
      const gate = await this.gates.evaluate(tenantId, scope.contractorId);
      add({ gate: gate.missing.length, ...(await this.repo.company(tenantId, scope.contractorId, now)) });
    }
    if (hasRole(p, Role.Staff)) add({ overdueReports: await this.repo.ownOverdueReports(tenantId, p.userId, now) });
    return { establishment: await this.repo.establishment(tenantId), today, tasks: [...tasks.values()] };
  }

  /** R-ART2: the companies whose gate is open today and closes within the horizon (a closed gate is not "closing"). */
  private async gatesClosing(tenantId: string, today: IsoDate): Promise<number> {
    const until = addDays(today, HOME_GATE_DAYS);
    const ids = await this.repo.gatesClosing(tenantId, today, until, await this.closing(tenantId, today, until));
    if (!ids.length) return 0;
    const gates = await this.gates.evaluateMany(tenantId, ids);
    return ids.filter((id) => gates.get(id)?.open).length;
  }

  /** R-ART2: the versions in force whose re-signature deadline falls within the horizon. */
  private async closing(tenantId: string, today: IsoDate, until: IsoDate): Promise<ClosingVersion[]> {
    const versions: ClosingVersion[] = [];
    for (const kind of COMPANY_DOCUMENT_KINDS) {
      const current = await this.documents.current(tenantId, kind, today);
      const deadline = current?.resignDeadline;
      if (current && deadline && deadline >= today && deadline <= until) versions.push({ kind, id: current.id });
    }
    return versions;
  }
}
