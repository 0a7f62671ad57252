import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyView } from '@app/identity';

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself, in this answer only (X-Api-Key)', example: 'pgk_ab12cd34_...' }) key: string;
}
