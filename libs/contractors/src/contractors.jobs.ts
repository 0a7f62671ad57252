import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { AttestationReminders } from './attestation-reminders';
import { ContractorsService } from './contractors.service';
import { PrestationsService } from './prestations.service';

/** Worker side: administrative changes that took effect (R-ART6), prestation ends and attestations (R-ART10). */
@Injectable()
export class ContractorsJobs {
  constructor(
    private readonly contractors: ContractorsService,
    private readonly prestations: PrestationsService,
    private readonly reminders: AttestationReminders,
  ) {}

  @OnJob(JobName.ContractorsDaily)
  async daily(): Promise<void> {
    await this.contractors.applyDueChanges();
    await this.prestations.endDue();
    await this.reminders.run();
  }
}
