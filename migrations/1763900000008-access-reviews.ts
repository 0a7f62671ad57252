import { atBy, ID, sqlMigration, TENANT } from './sql-migration';

/** R-ART34 (charter Art. 34): annual access review campaigns, their items and decisions. */
export const AccessReviews1763900000008 = sqlMigration('AccessReviews1763900000008', `
      CREATE TABLE review_campaigns (
        ${ID}, ${TENANT},
        contractor_id uuid NOT NULL REFERENCES contractors(id),
        status text NOT NULL CHECK (status IN ('open', 'submitted', 'certified')),
        period_start timestamptz NOT NULL,
        opened_at timestamptz NOT NULL,
        opened_by uuid REFERENCES users(id),
        due_on date NOT NULL,
        ${atBy('submitted')}, ${atBy('certified')},
        overdue_suspended_at timestamptz
      );
      -- One campaign in progress per contractor.
      CREATE UNIQUE INDEX review_campaigns_in_progress_key ON review_campaigns (contractor_id) WHERE status <> 'certified';
      CREATE INDEX review_campaigns_tenant_idx ON review_campaigns (tenant_id, status, due_on);

      CREATE TABLE review_items (
        ${ID},
        campaign_id uuid NOT NULL REFERENCES review_campaigns(id),
        tenant_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('account', 'habilitation', 'addition')),
        account_id uuid REFERENCES accounts(id),
        habilitation_id uuid REFERENCES habilitations(id),
        snapshot jsonb NOT NULL,
        decision text CHECK (decision IN ('keep', 'change', 'remove')),
        new_level text CHECK (new_level IN ('read', 'operate', 'admin')),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        rssi_decision text CHECK (rssi_decision IN ('keep', 'change', 'remove')),
        rssi_level text CHECK (rssi_level IN ('read', 'operate', 'admin')),
        rssi_by uuid REFERENCES users(id),
        applied_at timestamptz,
        CHECK (decision <> 'change' OR new_level IS NOT NULL)
      );
      CREATE INDEX review_items_campaign_idx ON review_items (campaign_id, kind);
      CREATE INDEX review_items_account_idx ON review_items (account_id);
    `, `DROP TABLE review_items; DROP TABLE review_campaigns;`);
