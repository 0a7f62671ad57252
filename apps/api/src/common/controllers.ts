import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** A controller whose routes people call with their bearer token: its OpenAPI tag, the bearer scheme, its path. */
export const BearerController = (tag: string, path: string) => applyDecorators(ApiTags(tag), ApiBearerAuth(), Controller(path));
