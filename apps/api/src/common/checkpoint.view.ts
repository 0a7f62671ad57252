import { ApiProperty } from '@nestjs/swagger';

/** R-INT: the latest signed checkpoint of a hash chain, and whether the chain still holds the head it signed. */
export class CheckpointCheckView {
  @ApiProperty() at: string;
  @ApiProperty() seq: number;
  @ApiProperty() hash: string;
  @ApiProperty() keyId: string;
  @ApiProperty({ description: 'Whether the chain still holds the head this checkpoint signed' }) matches: boolean;
}
