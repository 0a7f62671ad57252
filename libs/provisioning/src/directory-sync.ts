import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, Db, DomainEvents, JobName, NotFoundError, OutboxService } from '@app/core';
import { ConnectorService } from './connector.service';
import './events';
import { DirectoryFailure, failureOf, LdapDirectory, normalDn, sameDn } from './ldap-directory';
import { ProvisioningRepository } from './provisioning.repository';
import type { EntryState, GroupMapping } from './types';
import { EntryStateView } from './views';
import { AccountWanted, sameWanted, WantedState } from './wanted-state';

// The sweep re-requests an account that is still not in step at most once per period (outbox de-duplication key).
const SWEEP_BUCKET_MS = 2 * 60_000;

/**
 * R-PROV the directory follows each account: a change asks for a sync through the outbox (in the change's transaction);
 * the worker applies what the account should be now, so a sync that runs twice or late still lands on the right state.
 */
@Injectable()
export class DirectorySync {
  constructor(
    private readonly db: Db,
    private readonly repo: ProvisioningRepository,
    private readonly connectors: ConnectorService,
    private readonly wantedState: WantedState,
    private readonly outbox: OutboxService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** Inside the caller's transaction: nothing when the establishment has no connector. */
  async request(tenantId: string, accountId: string, dedupeKey?: string): Promise<void> {
    if (!(await this.repo.connector(tenantId))) return;
    await this.outbox.enqueue({ tenantId, job: JobName.DirectorySync, payload: { tenantId, accountId }, dedupeKey });
  }

  /** The accounts of a company the directory knows or should know (nothing when the establishment has no connector). */
  async accountsOf(tenantId: string, contractorId: string): Promise<string[]> {
    return (await this.repo.connector(tenantId)) ? this.repo.accountsOfCompany(tenantId, contractorId) : [];
  }

  /** The worker's side: applies the account's wanted state; throws (for a retry with backoff) when the directory failed. */
  async apply(tenantId: string, accountId: string): Promise<void> {
    const failure = await this.db.transaction(async () => {
      await this.repo.lockAccount(accountId);
      const target = await this.connectors.target(tenantId);
      if (!target) return null;
      const one = (await this.wantedState.of(tenantId, target.groupMap, accountId)).get(accountId);
      const before = await this.repo.entry(accountId);
      try {
        const dn = one ? await this.write(await LdapDirectory.open(target), one, target.groupMap) : before?.dn ?? null;
        await this.repo.saveEntry(tenantId, { accountId, dn, state: 'in_step', message: null,
          applied: one?.wanted ?? { enabled: false, groups: [] } }, this.clock.now());
        return null;
      } catch (error) {
        const f = failureOf(error);
        await this.repo.saveEntry(tenantId, { accountId, dn: null, state: 'failed', message: `${f.kind}: ${f.message}`,
          applied: { enabled: false, groups: [] } }, this.clock.now());
        const told = before?.state === 'failed' && before.message === `${f.kind}: ${f.message}`;
        if (f.kind === 'refused' && one && !told) {
          await this.events.emit('directory.refused', { tenantId, accountId, message: f.message,
            person: `${one.facts.firstName} ${one.facts.lastName}` });
        }
        return f;
      }
    });
    if (failure) throw new DirectoryFailure(failure.kind, `Directory ${failure.kind}: ${failure.message}`);
  }

  /** Entry, attributes, enabled flag, then every mapped group; returns the entry's DN (null when none is needed). */
  private async write(dir: LdapDirectory, one: AccountWanted, groupMap: GroupMapping[]): Promise<string | null> {
    try {
      const found = await dir.find(one.facts.accountId);
      if (!found && !one.wanted.enabled) return null;
      // Created disabled, then enabled: an Active Directory that refuses an enabled account without a password keeps the entry.
      const entry = found ?? { dn: await dir.create(one.person, false), enabled: false };
      const dn = entry.dn;
      if (found) await dir.updatePerson(dn, one.person);
      if (entry.enabled !== one.wanted.enabled) await dir.setEnabled(dn, one.wanted.enabled);
      const wanted = new Set(one.wanted.groups.map(normalDn));
      for (const group of new Set(groupMap.map((g) => g.groupDn))) {
        const member = (await dir.members(group)).some((m) => sameDn(m, dn));
        if (wanted.has(normalDn(group)) && !member) await dir.addMember(group, dn);
        if (!wanted.has(normalDn(group)) && member) await dir.removeMember(group, dn);
      }
      return dn;
    } finally {
      await dir.close();
    }
  }

  /** R-PROV what changed without an event (an expired habilitation, a closed gate) or failed before: asked again. */
  async sweep(): Promise<number> {
    let requested = 0;
    const bucket = Math.floor(this.clock.now().getTime() / SWEEP_BUCKET_MS);
    for (const tenantId of await this.repo.connectedTenants()) {
      const target = await this.repo.connector(tenantId);
      const all = await this.wantedState.of(tenantId, target?.groupMap ?? []);
      const entries = new Map((await this.repo.entries(tenantId)).map((e) => [e.accountId, e]));
      for (const [accountId, one] of all) {
        const entry = entries.get(accountId);
        if (entry?.state !== 'failed' && sameWanted(entry?.applied ?? { enabled: false, groups: [] }, one.wanted)) continue;
        if (entry?.state !== 'failed' && (await this.repo.waiting(accountId)) > 0) continue;
        // Once per period for the same wanted state; a new state (a gate open again) is asked at once.
        const wanted = createHash('sha256').update(JSON.stringify(one.wanted)).digest('hex').slice(0, 16);
        await this.db.transaction(() => this.request(tenantId, accountId, `directory.sync:${accountId}:${bucket}:${wanted}`));
        requested++;
      }
    }
    return requested;
  }

  /** R-PROV an account's entry as the DSI and the RSSI see it on its page. */
  async stateOf(tenantId: string, accountId: string): Promise<EntryStateView> {
    const target = await this.repo.connector(tenantId);
    const one = (await this.wantedState.of(tenantId, target?.groupMap ?? [], accountId)).get(accountId);
    if (!one) throw new NotFoundError('Account');
    const entry = await this.repo.entry(accountId);
    const waiting = await this.repo.waiting(accountId);
    const inStep = entry !== null && sameWanted(entry.applied, one.wanted);
    const state: EntryState = entry?.state === 'failed' ? 'failed' : waiting || (!inStep && one.wanted.enabled) ? 'pending'
      : entry ? 'in_step' : 'none';
    return {
      accountId, state, dn: entry?.dn ?? null, enabled: entry?.applied.enabled ?? false, groups: entry?.applied.groups ?? [],
      message: entry?.message ?? null, syncedAt: entry?.syncedAt.toISOString() ?? null,
    };
  }
}
