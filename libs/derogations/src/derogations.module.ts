import { Module } from '@nestjs/common';
import { DerogationsService } from './derogations.service';

/** The derogations register (R-ART16-27). */
@Module({ providers: [DerogationsService], exports: [DerogationsService] })
export class DerogationsModule {}
