import { defineErrors } from '@app/core';

/** The contractors library's error codes (the console localises by code). */
export const ContractorErrors = defineErrors('contractors', {
  SUBCONTRACTOR_OF_SUBCONTRACTOR: {
    status: 409, message: 'A subcontractor cannot declare subcontractors; its prime declares them (R-ART4)',
  },
  SIRET_TAKEN: { status: 409, message: 'A contractor with this SIRET already exists in this establishment' },
  EMAIL_TAKEN: { status: 409, message: 'This e-mail already belongs to another person of the platform' },
  PRESTATION_NOT_ENDED: { status: 409, message: 'The attestation is due once the prestation has ended' },
  PRESTATION_ALREADY_ENDED: { status: 409, message: 'This prestation has already ended' },
  ATTESTATION_ALREADY_RECEIVED: { status: 409, message: 'The destruction attestation of this prestation was already received' },
});
