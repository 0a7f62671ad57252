export { DigestsModule, DigestsWorkerModule } from './digests.module';
export { DigestService } from './digest.service';
export type { WeeklyDigest } from './digest.service';
export { HOME_GATE_DAYS, HomeService } from './home.service';
export { HOME_TASKS, HomeTaskView, HomeView } from './home.views';
export type { HomeTaskKey } from './home.views';
