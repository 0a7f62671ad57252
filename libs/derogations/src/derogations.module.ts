import { Module } from '@nestjs/common';
import { DerogationsRepository } from './derogations.repository';
import { DerogationsService } from './derogations.service';

/** The derogations register (R-ART16-27). */
@Module({ providers: [DerogationsRepository, DerogationsService], exports: [DerogationsService] })
export class DerogationsModule {}
