import { ApiKeyScope, DomainError, GatewayPrincipal } from '@app/core';
import { ApiKeysService } from '@app/identity';
import { IngestionService } from './ingestion.service';
import { SyslogCounts } from './syslog-counts';

/**
 * A syslog batch to the journal, like the API's: its gateway authenticated first, at each batch (a revoked
 * key stops feeding the journal within one batch), then ingested; what is refused is counted as dropped.
 */
export class SyslogGateways {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly apiKeys: ApiKeysService,
    private readonly counts: SyslogCounts,
  ) {}

  /** A live batch, under the API key as sent. */
  storeLive(apiKey: string, events: unknown[]): Promise<void> {
    return this.storeAs(() => this.apiKeys.authenticate(apiKey), events);
  }

  /** A spooled run, under its key's hash (the spool never holds a key): a key revoked meanwhile is refused, as live. */
  storeSpooled(keyHash: string, events: unknown[]): Promise<void> {
    return this.storeAs(() => this.apiKeys.authenticateHash(keyHash), events);
  }

  private async storeAs(authenticate: () => Promise<GatewayPrincipal>, events: unknown[]): Promise<void> {
    const gateway = await this.gatewayOf(authenticate);
    if (!gateway) return this.counts.drop('unauthenticated', events.length);
    const result = await this.ingestion.ingest({ tenantId: gateway.tenantId, apiKeyId: gateway.apiKeyId, via: 'syslog' }, events);
    this.counts.accepted += result.accepted;
    this.counts.duplicates += result.duplicates;
    if (result.rejected.length) this.counts.drop('rejected', result.rejected.length);
  }

  private async gatewayOf(authenticate: () => Promise<GatewayPrincipal>): Promise<GatewayPrincipal | null> {
    try {
      const principal = await authenticate();
      return principal.scopes.includes(ApiKeyScope.Connections) ? principal : null;
    } catch (error) {
      if (error instanceof DomainError && error.status === 401) return null;
      throw error;
    }
  }
}
