import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents, Role } from '@app/core';
import { Directory } from '@app/contractors';
import { NotificationsService } from '@app/notifications';
import './events';

/** R-PROV the e-mails of the provisioning library: the DSI when the directory refuses, the RSSI when drift is found. */
@Injectable()
export class ProvisioningNotifications implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly people: Directory,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.events.on('directory.refused', async (e) => {
      await this.notifications.emailEach(await this.people.hospital(e.tenantId, [Role.Dsi]), {
        tenantId: e.tenantId, template: 'directory-refused', data: { person: e.person, message: e.message },
      });
    });
    this.events.on('directory.drift_found', async (e) => {
      await this.notifications.emailEach(await this.people.hospital(e.tenantId, [Role.Rssi]), {
        tenantId: e.tenantId, template: 'directory-drift', data: { drifts: e.drifts, corrected: e.corrected },
      });
    });
  }
}
