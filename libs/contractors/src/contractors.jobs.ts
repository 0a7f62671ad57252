import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { ContractorsService } from './contractors.service';
import { PrestationsService } from './prestations.service';

/** Worker side: administrative changes that took effect (R-ART6), prestation ends and attestations (R-ART10). */
@Injectable()
export class ContractorsJobs {
  constructor(
    private readonly contractors: ContractorsService,
    private readonly prestations: PrestationsService,
  ) {}

  @OnJob(JobName.ContractorsDaily)
  async daily(): Promise<void> {
    await this.contractors.applyDueChanges();
    await this.prestations.runDaily();
  }
}
