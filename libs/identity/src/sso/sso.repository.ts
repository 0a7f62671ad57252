import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';

export type MfaClaim = 'amr' | 'acr';

/** An sso_providers row, camelCased (the client secret still sealed). */
export interface ProviderRow {
  tenantId: string;
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecretEnc: string;
  emailDomains: string[];
  mfaClaim: MfaClaim;
  mfaValues: string[];
  contractorIds: string[];
  updatedAt: Date;
}

/** A pending sign-in at the provider: what the callback must find again (single use). */
export interface AttemptRow {
  tenantId: string;
  nonce: string;
  codeVerifierEnc: string;
  /** The keyed hash of the proof the starting browser keeps: the ticket is good only with it (login CSRF). */
  browserHash: string;
}

/** What the callback proved, waiting for the console to exchange it (single use). */
export interface TicketRow {
  userId: string;
  browserHash: string;
  tenantId: string;
  providerMfa: boolean;
  claims: { issuer: string; amr: string[] | null; acr: string | null };
}

const PROVIDER = `tenant_id AS "tenantId", enabled, issuer, client_id AS "clientId", client_secret_enc AS "clientSecretEnc",
  email_domains AS "emailDomains", mfa_claim AS "mfaClaim", mfa_values AS "mfaValues", contractor_ids::text[] AS "contractorIds",
  updated_at AS "updatedAt"`;

/** R-SSO the establishments' OpenID providers, pending sign-ins and tickets (tables owned by identity). */
@Injectable()
export class SsoRepository {
  constructor(private readonly db: Db) {}

  async provider(tenantId: string, forUpdate = false): Promise<ProviderRow | null> {
    const lock = forUpdate ? ' FOR UPDATE' : '';
    const [row] = await this.db.query<ProviderRow>(`SELECT ${PROVIDER} FROM sso_providers WHERE tenant_id = $1${lock}`, [tenantId]);
    return row ?? null;
  }

  async saveProvider(p: Omit<ProviderRow, 'updatedAt'>, by: string | null, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO sso_providers (tenant_id, enabled, issuer, client_id, client_secret_enc, email_domains, mfa_claim, mfa_values,
         contractor_ids, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id) DO UPDATE SET enabled = $2, issuer = $3, client_id = $4, client_secret_enc = $5, email_domains = $6,
         mfa_claim = $7, mfa_values = $8, contractor_ids = $9, updated_by = $10, updated_at = $11`,
      [p.tenantId, p.enabled, p.issuer, p.clientId, p.clientSecretEnc, p.emailDomains, p.mfaClaim, p.mfaValues, p.contractorIds, by, now],
    );
  }

  /** The establishments whose enabled provider accepts this e-mail domain, with their names (for a choice between several). */
  async establishmentsFor(domain: string): Promise<{ tenantId: string; name: string }[]> {
    return this.db.query(
      `SELECT p.tenant_id AS "tenantId", t.name FROM sso_providers p JOIN tenants t ON t.id = p.tenant_id
        WHERE p.enabled AND p.email_domains @> ARRAY[lower($1)] ORDER BY t.name, t.id`,
      [domain],
    );
  }

  /** The contractors among `ids` that belong to the establishment (a read of the contractors' table). */
  async contractorsAmong(tenantId: string, ids: string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM contractors WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async addAttempt(stateHash: string, a: AttemptRow, now: Date, expiresAt: Date): Promise<void> {
    await this.db.query(`DELETE FROM sso_attempts WHERE expires_at <= $1`, [now]);
    await this.db.query(
      `INSERT INTO sso_attempts (state_hash, tenant_id, nonce, code_verifier_enc, browser_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [stateHash, a.tenantId, a.nonce, a.codeVerifierEnc, a.browserHash, now, expiresAt],
    );
  }

  /** Single use: the one caller whose delete returns the row goes on; a replay or an expired state finds nothing. */
  async takeAttempt(stateHash: string, now: Date): Promise<AttemptRow | null> {
    const [row] = await this.db.query<AttemptRow>(
      `DELETE FROM sso_attempts WHERE state_hash = $1 AND expires_at > $2
       RETURNING tenant_id AS "tenantId", nonce, code_verifier_enc AS "codeVerifierEnc", browser_hash AS "browserHash"`,
      [stateHash, now],
    );
    return row ?? null;
  }

  async addTicket(ticketHash: string, t: TicketRow, now: Date, expiresAt: Date): Promise<void> {
    await this.db.query(`DELETE FROM sso_tickets WHERE expires_at <= $1`, [now]);
    await this.db.query(
      `INSERT INTO sso_tickets (ticket_hash, user_id, browser_hash, tenant_id, provider_mfa, claims, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [ticketHash, t.userId, t.browserHash, t.tenantId, t.providerMfa, JSON.stringify(t.claims), now, expiresAt],
    );
  }

  /** Single use, like an attempt: of parallel exchanges, the one whose delete returns the row wins; only from its browser. */
  async takeTicket(ticketHash: string, browserHash: string, now: Date): Promise<TicketRow | null> {
    const [row] = await this.db.query<TicketRow>(
      `DELETE FROM sso_tickets WHERE ticket_hash = $1 AND browser_hash = $2 AND expires_at > $3
       RETURNING user_id AS "userId", browser_hash AS "browserHash", tenant_id AS "tenantId", provider_mfa AS "providerMfa", claims`,
      [ticketHash, browserHash, now],
    );
    return row ?? null;
  }
}
