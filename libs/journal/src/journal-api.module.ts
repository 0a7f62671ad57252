import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';
import { JournalModule } from './journal.module';
import { SyslogListener } from './syslog.listener';

/**
 * API-only (R-ART41): journal exports and the syslog listener. Kept out of JournalModule, which the
 * worker imports too, so that only the API process opens SYSLOG_PORT.
 */
@Module({
  imports: [JournalModule, IdentityModule],
  providers: [ExportsRepository, ExportsService, SyslogListener],
  exports: [ExportsService, SyslogListener],
})
export class JournalApiModule {}
