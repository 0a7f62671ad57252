import { Injectable } from '@nestjs/common';
import { Db, Role } from '@app/core';
import { PeopleService } from '@app/identity';
import type { ContactRole } from './entities';

export interface Recipient {
  email: string;
  locale: 'fr' | 'en';
}

/** Who receives what: a contractor's declared contacts, the hospital's DSI or RSSI. */
@Injectable()
export class Directory {
  constructor(private readonly db: Db, private readonly users: PeopleService) {}

  contactsOf(contractorId: string, roles: ContactRole[] = ['legal_rep', 'security_contact', 'security_deputy', 'rssi']): Promise<Recipient[]> {
    return this.db.query<Recipient>(
      `SELECT c.email, coalesce(u.locale, 'fr') AS locale
         FROM contractor_contacts c LEFT JOIN users u ON u.id = c.user_id
        WHERE c.contractor_id = $1 AND c.role = ANY($2) ORDER BY c.role`,
      [contractorId, roles],
    );
  }

  hospital(tenantId: string, roles: Role[]): Promise<Recipient[]> {
    return this.users.hospitalRecipients(tenantId, roles);
  }
}
