export { EvidenceModule } from './evidence.module';
export { EVIDENCE_FORMAT, EvidencePackService } from './evidence-pack.service';
export type { EvidenceDownload } from './evidence-pack.service';
