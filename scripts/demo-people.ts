import { randomUUID } from 'node:crypto';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountDecisions, AccountsModule, AccountsService } from '@app/accounts';
import { ChartersModule, DocumentsService, GateService, SignaturesService } from '@app/charters';
import { ContactsService, ContractorsModule, ContractorsService, PrestationsService } from '@app/contractors';
import { actorOf, Clock, CoreModule, CoreOptions, Db, DomainEvents, Role, UserPrincipal } from '@app/core';
import { IdentityModule, PeopleService, TenantCalendar, UsersService, UserView } from '@app/identity';
import { InterventionsModule, ReferentsService } from '@app/interventions';
import { NotificationsModule } from '@app/notifications';
import { pdf, VALID_SIRETS } from '../libs/testing/src/fixtures';
import { oneTimePassword, SeededPerson } from './seed';

/** The demo's DSI (seeded by seedDemo): the establishment the others join, and who acts for the hospital. */
export const DEMO_DSI = 'dsi@ch-lemans.demo';

const HOSPITAL = [
  { email: 'rssi@ch-lemans.demo', firstName: 'Sophie', lastName: 'Lefèvre', role: Role.Rssi },
  { email: 'referent@ch-lemans.demo', firstName: 'Marc', lastName: 'Garnier', role: Role.Referent },
];
const phone = '+33 2 43 00 00 00';
const COMPANY = { legalName: 'Maintenance Médicale Ouest (démo)', siret: VALID_SIRETS[0], address: '12 rue de la Gare, 72000 Le Mans' };
const CONTACTS = {
  legalRepresentative: { firstName: 'Claire', lastName: 'Martin', email: 'representante@mmo.demo', phone, function: 'Présidente' },
  securityContact: { firstName: 'Hugo', lastName: 'Bernard', email: 'securite@mmo.demo', phone },
  securityDeputy: { firstName: 'Inès', lastName: 'Petit', email: 'suppleante@mmo.demo', phone },
};
const INTERVENANT = { firstName: 'Lucas', lastName: 'Moreau', email: 'intervenant@mmo.demo', phone: '+33 6 00 00 00 00' };

/** A one-page PDF, different per label (the demo's charter, convention and their signed copies). */
function pdfFile(label: string): { content: Buffer; filename: string } {
  return { content: pdf(label), filename: `${label}.pdf` };
}

function principalOf(person: UserView): UserPrincipal {
  return {
    kind: 'user', userId: person.id, sessionId: randomUUID(), tenantId: person.tenantId, contractorId: person.contractorId,
    roles: person.roles, email: person.email,
  };
}

/** The libraries the seed calls, without the API's HTTP layer (passport's strategies are process-wide). */
@Module({})
class DemoSeedModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: DemoSeedModule,
      imports: [
        CoreModule.forRoot(options), NotificationsModule, IdentityModule, ContractorsModule, ChartersModule, AccountsModule, InterventionsModule,
      ],
    };
  }
}

/**
 * The rest of the demo through the services, as the API calls them: RSSI, referent, a contractor with contacts, prestation,
 * validated charter, an intervenant's account (active once TOTP is enrolled). Each part once, in one transaction.
 */
export async function seedDemoPeople(
  env: Record<string, string | undefined>, clock?: Clock, warn: (line: string) => void = console.warn,
): Promise<SeededPerson[]> {
  const quiet = { write: () => undefined };
  const app = await NestFactory.createApplicationContext(DemoSeedModule.forRoot({ env, clock, logDestination: quiet }), {
    logger: false, abortOnError: false,
  });
  try {
    return await new DemoSeeder(app, warn).run();
  } finally {
    await app.close();
  }
}

class DemoSeeder {
  private readonly links = new Map<string, string>();
  private readonly seeded: SeededPerson[] = [];

  constructor(private readonly app: INestApplicationContext, private readonly warn: (line: string) => void) {
    // The invitation e-mail's link, caught as it is issued: the seed accepts it as the person would.
    app.get(DomainEvents).on('user.invitation_issued', async (e) => {
      this.links.set(e.email, new URL(e.link).searchParams.get('token')!);
    });
  }

  async run(): Promise<SeededPerson[]> {
    const dsiView = await this.demoDsi();
    if (!dsiView?.tenantId) return [];
    const dsi = principalOf(dsiView);
    const db = this.app.get(Db);
    for (const person of HOSPITAL) {
      if (await this.exists(person.email)) continue;
      await this.part(person.email, () => db.transaction(async () => {
        await this.app.get(UsersService).invite(actorOf(dsi), { tenantId: dsiView.tenantId! }, { ...person, roles: [person.role] });
        await this.accept(person.email, person.role);
      }));
    }
    if (!(await this.exists(CONTACTS.securityContact.email))) await this.part(COMPANY.legalName, () => db.transaction(() => this.contractor(dsi)));
    return this.seeded;
  }

  /** A part that fails (a demo the DSI has changed since) is rolled back and said; the others are kept. */
  private async part(what: string, work: () => Promise<void>): Promise<void> {
    const before = this.seeded.length;
    await work().catch((error: Error) => {
      this.seeded.splice(before);
      this.warn(`Demo: ${what} not seeded: ${error.message}`);
    });
  }

  private async contractor(dsi: UserPrincipal): Promise<void> {
    const { app } = this;
    const today = await app.get(TenantCalendar).today(dsi.tenantId!);
    const company = await app.get(ContractorsService).create(dsi, COMPANY);
    await app.get(ContactsService).declare(dsi, company.id, CONTACTS);
    // The hospital's referent approves this company's windows (R-ART36).
    const referent = await app.get(PeopleService).findByEmail(dsi.tenantId!, HOSPITAL[1].email);
    if (referent) await app.get(ReferentsService).designate(dsi, company.id, [referent.id]);
    await this.accept(CONTACTS.legalRepresentative.email, Role.LegalRep);
    const contact = principalOf(await this.accept(CONTACTS.securityContact.email, Role.SecurityContact));
    await this.accept(CONTACTS.securityDeputy.email, Role.SecurityDeputy);
    await app.get(PrestationsService).create(dsi, company.id, { title: 'Maintenance du PACS', accessMode: 'remote', rgpdSubcontractor: false, startsOn: today });
    const charter = await this.document(dsi, 'charter', today);
    const { firstName, lastName, function: role } = CONTACTS.legalRepresentative;
    const signed = { signerFirstName: firstName, signerLastName: lastName, signerFunction: role, signedOn: today, allPagesInitialled: true };
    await this.validate(dsi, (await app.get(SignaturesService).submit(contact, company.id, { ...signed, documentId: charter, file: pdfFile('charte-signee') })).id);
    const gate = await app.get(GateService).forContractor(dsi, company.id);
    if (!gate.open) throw new Error(`The demo contractor's gate stays closed: ${gate.missing.map((m) => m.code).join(', ')}`);

    const account = await app.get(AccountsService).request(contact, company.id, INTERVENANT);
    await app.get(AccountDecisions).approve(dsi, account.id);
    await this.accept(INTERVENANT.email, Role.Staff);
    const convention = await this.document(dsi, 'access_convention', today);
    const byHolder = { ...signed, signerFirstName: INTERVENANT.firstName, signerLastName: INTERVENANT.lastName, signerFunction: 'Intervenant' };
    const conventionSigned = await app.get(AccountsService).submitConvention(contact, account.id, {
      ...byHolder, documentId: convention, file: pdfFile('convention-signee'),
    });
    await this.validate(dsi, conventionSigned.id);
  }

  /** The establishment's document in force of this kind, published by the DSI when there is none yet. */
  private async document(dsi: UserPrincipal, kind: 'charter' | 'access_convention', today: string): Promise<string> {
    const documents = this.app.get(DocumentsService);
    const current = await documents.current(dsi.tenantId!, kind, today);
    return current?.id ?? (await documents.upload(dsi, { kind, versionLabel: 'v1', effectiveOn: today, file: pdfFile(kind) })).id;
  }

  /** The DSI opens the signed copy, then validates it. */
  private async validate(dsi: UserPrincipal, signatureId: string): Promise<void> {
    await this.app.get(SignaturesService).file(dsi, signatureId);
    await this.app.get(SignaturesService).validate(dsi, signatureId);
  }

  /** Follows the person's invitation link with a one-time password. */
  private async accept(email: string, role: Role): Promise<UserView> {
    const password = oneTimePassword();
    const person = await this.app.get(UsersService).acceptInvitation(this.links.get(email)!, password);
    this.seeded.push({ email, password, role });
    return person;
  }

  private async exists(email: string): Promise<boolean> {
    const dsi = await this.demoDsi();
    return (await this.app.get(PeopleService).findByEmail(dsi!.tenantId!, email)) !== null;
  }

  /** The demo establishment's DSI (R-MEMB an e-mail names a person per establishment). */
  private async demoDsi(): Promise<UserView | null> {
    const [row] = await this.app.get(Db).query<{ id: string }>(`SELECT id FROM users WHERE email = $1 AND tenant_id IS NOT NULL`, [DEMO_DSI]);
    return row ? this.app.get(PeopleService).findById(row.id) : null;
  }
}
