import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import DataLoader from 'dataloader';
import { AccountReadiness, ConventionInForce } from '@app/accounts';
import { GateAssessment, GateService } from '@app/charters';
import { Db, DomainEvents } from '@app/core';
import { DerogationsService } from '@app/derogations';
import { TenantsService } from '@app/identity';
import { RefreshingCache } from './refreshing-cache';

export const DECISION_CACHE_MS = Symbol('DECISION_CACHE_MS');

/** What a contractor's accounts share: its gate (contacts, running prestation, charter...) and whether conventions are required. */
export interface ContractorGate {
  missing: GateAssessment['missing'];
  conventionRequired: boolean;
}

interface GateKey {
  tenantId: string;
  contractorId: string;
}

/**
 * What changes slowly and is shared by many decisions, from a short cache (DECISION_CACHE_MS): the contractor's gate,
 * the access convention in force, shared-account derogations, the tenant's zone. See docs/adr/access-decision-path.md.
 */
@Injectable()
export class DecisionStandings implements OnModuleInit {
  private readonly gates: RefreshingCache<ContractorGate>;
  private readonly conventions: RefreshingCache<{ current: ConventionInForce | null }>;
  private readonly sharedAccountCover: RefreshingCache<boolean>;
  private readonly timezones: RefreshingCache<string>;
  /** The batch being evaluated: the next one waits for it (and takes every contractor asked for meanwhile). */
  private running: Promise<unknown> = Promise.resolve();
  private readonly gateLoader = new DataLoader<GateKey, ContractorGate>((keys) => this.evaluate(keys), {
    cache: false,
    batchScheduleFn: (dispatch) => void this.running.then(() => setImmediate(dispatch)),
  });

  constructor(
    private readonly db: Db,
    private readonly readiness: AccountReadiness,
    private readonly gate: GateService,
    private readonly derogations: DerogationsService,
    private readonly tenants: TenantsService,
    private readonly events: DomainEvents,
    @Inject(DECISION_CACHE_MS) cacheMs: number,
  ) {
    this.gates = new RefreshingCache(cacheMs);
    this.conventions = new RefreshingCache(cacheMs);
    this.sharedAccountCover = new RefreshingCache(cacheMs);
    this.timezones = new RefreshingCache(Math.max(cacheMs, 1000));
  }

  onModuleInit(): void {
    // Changes made in this process are seen once committed; other processes see them within cacheMs.
    this.events.on('signature.validated', async () => this.db.afterCommit(() => this.clear()));
    this.events.on('prestation.ended', async () => this.db.afterCommit(() => this.clear()));
  }

  contractorGate(tenantId: string, contractorId: string): Promise<ContractorGate> {
    return this.gates.get(contractorId, () => this.gateLoader.load({ tenantId, contractorId }));
  }

  async conventionInForce(tenantId: string, today: string): Promise<ConventionInForce | null> {
    const read = async () => ({ current: await this.readiness.conventionInForce(tenantId, today) });
    return (await this.conventions.get(tenantId, read)).current;
  }

  sharedAccountCovered(tenantId: string, contractorId: string, at: Date): Promise<boolean> {
    const read = async () => (await this.derogations.covering(tenantId, 'shared_account', contractorId, at)) !== null;
    return this.sharedAccountCover.get(contractorId, read);
  }

  timezone(tenantId: string): Promise<string> {
    return this.timezones.get(tenantId, async () => (await this.tenants.policyOf(tenantId)).businessHours.timezone);
  }

  /** GateService.evaluateMany per tenant: a fixed number of queries however many contractors are asked for. */
  private evaluate(keys: readonly GateKey[]): Promise<(ContractorGate | Error)[]> {
    const byTenant = new Map<string, Set<string>>();
    for (const { tenantId, contractorId } of keys) byTenant.set(tenantId, (byTenant.get(tenantId) ?? new Set()).add(contractorId));
    const batch = Promise.all([...byTenant].map(async ([tenantId, ids]) => {
      try {
        return [tenantId, await this.gate.evaluateMany(tenantId, [...ids])] as const;
      } catch (error) {
        return [tenantId, error instanceof Error ? error : new Error(String(error))] as const;
      }
    })).then((evaluated) => {
      const gates = new Map<string, Map<string, GateAssessment> | Error>(evaluated);
      return keys.map(({ tenantId, contractorId }): ContractorGate | Error => {
        const gate = gates.get(tenantId)!;
        if (gate instanceof Error) return gate;
        const { missing, runningAccessModes } = gate.get(contractorId)!;
        return { missing, conventionRequired: runningAccessModes.some((mode) => mode !== 'saas') };
      });
    });
    this.running = batch.catch(() => undefined);
    return batch;
  }

  private clear(): void {
    this.gates.clear();
    this.conventions.clear();
    this.sharedAccountCover.clear();
  }
}
