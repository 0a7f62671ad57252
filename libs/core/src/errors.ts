import specs from './errors.json';
import { defineErrors } from './errors/catalogue';

/** The codes core and the API application answer themselves (HTTP plumbing, files, idempotency); texts in errors.json. */
export const CoreErrors = defineErrors('core', specs);
