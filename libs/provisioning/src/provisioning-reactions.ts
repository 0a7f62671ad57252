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
  }
}
