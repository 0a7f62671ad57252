export { api, apiDocument, at, listAll, multipart, ok, okAs, pageOf, withQuery } from './client';
export type { PageLoader } from './client';
export { download, saveFile, sha256Hex } from './files';
export type { Downloaded } from './files';
export { ApiError } from './problem';
export { session } from './session';
export type * from './types';
