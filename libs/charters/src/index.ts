import './events';

export { ChartersModule, ChartersWorkerModule } from './charters.module';
export { DocumentsService, type UploadDocument } from './documents.service';
export { SignaturesService, type TenantSignatureFilter } from './signatures.service';
export { sameName, type SubmitSignature } from './signed-copies';
export { GateService, type GateAssessment, type GateResult } from './gate.service';
export { ContractorListService, ContractorWithGateView, GATE_STATES, type GateState } from './contractor-list.service';
export { CharterDeadlinesService, RESIGN_REMINDER_DAYS } from './deadlines.service';
export { signatureInForce, SIGNATURE_PROBLEMS } from './signature-in-force';
export type { SignatureFacts, SignatureInForce, SignatureProblem, VersionFacts } from './signature-in-force';
export { CONVENTION_CODES, DOCUMENT_GATE_CODES } from './gate-codes';
export type { ConventionCode, DocumentGateCode, GateCode } from './gate-codes';
export type { GateProblem } from './gate-rule';
export { CharterErrors } from './errors';
export { COMPANY_DOCUMENT_KINDS, DOCUMENT_KINDS, isCompanyDocument, SIGNATURE_STATUSES } from './types';
export type { CompanyDocumentKind, DocumentKind, SignatureFilter, SignatureStatus } from './types';
export { DocumentView, GateMissing, GateView, SignatureView } from './views';
