import { defineErrors } from '@app/core';

/** The provisioning library's error codes (R-PROV, the directory kept in step); the console localises by code. */
export const ProvisioningErrors = defineErrors('provisioning', {
  DIRECTORY_NOT_CONFIGURED: { status: 404, message: 'No directory connector is configured for this establishment' },
  DIRECTORY_SECRET_REQUIRED: { status: 400, message: 'The bind password is required when the connector is first configured' },
  DIRECTORY_UNKNOWN_RESOURCE: { status: 400, message: 'A group mapping names a resource that is not in the catalogue' },
  DIRECTORY_UNREACHABLE: { status: 502, message: 'The directory could not be reached or refused the request' },
});
