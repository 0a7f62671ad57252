import { ApiProperty } from '@nestjs/swagger';
import { GateMissing } from '@app/charters';

export class ReadinessView {
  @ApiProperty({ description: 'Whether the account can be activated now' }) ready: boolean;
  @ApiProperty({ type: [GateMissing] }) missing: GateMissing[];
}
