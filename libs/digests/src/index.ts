export { DigestsModule, DigestsWorkerModule } from './digests.module';
export { DigestService } from './digest.service';
export type { WeeklyDigest } from './digest.service';
