import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CheckpointCheckView } from '../common/checkpoint.view';

export class JournalVerifyView {
  @ApiProperty() ok: boolean;
  @ApiProperty() checkedBatches: number;
  @ApiProperty({ description: 'Batches purged under the retention or a derogation (their seal is kept)' }) purgedBatches: number;
  @ApiPropertyOptional({ format: 'uuid' }) firstBrokenBatchId?: string;
  @ApiPropertyOptional() firstBrokenSeq?: number;
  @ApiPropertyOptional({ type: CheckpointCheckView, description: 'Absent when no checkpoint is configured or made yet' })
  checkpoint?: CheckpointCheckView;
}

export class PurgeResultView {
  @ApiProperty({ description: 'Connection events deleted' }) deleted: number;
}
