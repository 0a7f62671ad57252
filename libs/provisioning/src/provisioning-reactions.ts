import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@app/core';
import { DirectorySync } from './directory-sync';

/** R-PROV how the directory follows the accounts library's events: a sync request in the same transaction (outbox). */
@Injectable()
export class ProvisioningReactions implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly sync: DirectorySync,
  ) {}

  onModuleInit(): void {
    const follow = (e: { tenantId: string; accountId: string }) => this.sync.request(e.tenantId, e.accountId);
    this.events.on('account.activated', follow);
    this.events.on('account.suspended', follow);
    this.events.on('account.resumed', follow);
    this.events.on('account.deactivated', follow);
    this.events.on('habilitation.changed', follow);
    // R-ART2 a company's signature validated may open its gate again: its people's entries follow at once.
    this.events.on('signature.validated', async (e) => {
      if (e.accountId) return follow({ tenantId: e.tenantId, accountId: e.accountId });
      for (const accountId of await this.sync.accountsOf(e.tenantId, e.contractorId)) await follow({ tenantId: e.tenantId, accountId });
    });
  }
}
