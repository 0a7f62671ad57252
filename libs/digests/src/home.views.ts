import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const HOME_TASKS = [
  'signatures', 'accounts', 'habilitations', 'windows', 'emergencies', 'gatesClosing', 'overdueReports',
  'reviews', 'anomalies', 'suspendedAccounts', 'gate', 'attestations',
] as const;
export type HomeTaskKey = (typeof HOME_TASKS)[number];

/** One thing that waits for the signed-in person, counted; 0 means nothing to do. */
export class HomeTaskView {
  @ApiProperty({ enum: HOME_TASKS }) key: HomeTaskKey;
  @ApiProperty({ minimum: 0 }) count: number;
  @ApiProperty({ example: 'R-ART2', description: 'The requirement the task comes from (docs/requirements.md)' }) rule: string;
  @ApiPropertyOptional({ description: 'The period it looks at, in days: ahead (gatesClosing) or back (anomalies)' }) days?: number;
}

/** GET /v1/home: the signed-in person's tasks, for their roles, in their establishment (and company). */
export class HomeView {
  @ApiProperty({ description: "The establishment's name" }) establishment: string;
  @ApiProperty({ format: 'date', description: "Today in the establishment's time zone" }) today: string;
  @ApiProperty({ type: [HomeTaskView] }) tasks: HomeTaskView[];
}
