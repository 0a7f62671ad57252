import { defineErrors } from '@app/core';
import specs from './errors.json';

/** The provisioning library's error codes (R-PROV, the directory kept in step); texts in errors.json (R-L10N). */
export const ProvisioningErrors = defineErrors('provisioning', specs);
