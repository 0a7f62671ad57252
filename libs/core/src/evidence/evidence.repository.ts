import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { PLATFORM_CHAIN } from '../audit/audit.repository';

/** The head of one hash chain: the audit trail's (`tenantId` null for the platform's) or the journal's. */
export interface ChainHead {
  tenantId: string | null;
  chain: 'audit' | 'journal';
  seq: number;
  hash: string;
}

/** Reads what protects the evidence tables: the heads of their chains, and who owns them. */
@Injectable()
export class EvidenceRepository {
  constructor(private readonly db: Db) {}

  async heads(): Promise<ChainHead[]> {
    const rows = await this.db.query<{ tenant_id: string | null; chain: ChainHead['chain']; seq: string; hash: string }>(
      `SELECT nullif(chain_key, $1::uuid) AS tenant_id, 'audit' AS chain, last_seq AS seq, last_hash AS hash FROM audit_heads
       UNION ALL SELECT tenant_id, 'journal', last_seq, last_hash FROM journal_heads`,
      [PLATFORM_CHAIN],
    );
    return rows.map((h) => ({ tenantId: h.tenant_id, chain: h.chain, seq: Number(h.seq), hash: h.hash }));
  }

  /** True when the connection's role owns audit_events (or is a member of its owner) or is a superuser. */
  async ownsEvidence(): Promise<boolean> {
    const [row] = await this.db.query<{ owns: boolean }>(
      `SELECT pg_has_role(current_user, c.relowner, 'MEMBER') OR r.rolsuper AS owns
         FROM pg_class c, pg_roles r WHERE c.oid = 'audit_events'::regclass AND r.rolname = current_user`,
    );
    return row.owns;
  }
}
