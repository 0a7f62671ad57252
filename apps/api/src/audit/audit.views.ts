import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CheckpointCheckView } from '../common/checkpoint.view';

export class VerifyResultView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Events whose hash was recomputed' }) checked: number;
  @ApiPropertyOptional({ format: 'uuid' }) firstBrokenId?: string;
  @ApiPropertyOptional() firstBrokenSeq?: number;
  @ApiPropertyOptional({ type: CheckpointCheckView, description: 'Absent when no checkpoint is configured or made yet' })
  checkpoint?: CheckpointCheckView;
}

/** What an event keeps of its target before and after the action: any JSON value the action recorded. */
export const ANY_JSON = {
  oneOf: [{ type: 'object', nullable: true }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }],
};
