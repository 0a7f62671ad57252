import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNotNull } from '@app/core';
import { DEFAULT_ROTATION_GRACE_HOURS, MAX_ROTATION_GRACE_HOURS, MAX_URL_LENGTH, WEBHOOK_EVENTS, WebhookEvent } from '@app/notifications';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://siem.hospital.example/prestagate',
    description: 'Where events are POSTed: an http:// or https:// URL, without user name or password. Redirects are not followed.',
  })
  @IsString() @MaxLength(MAX_URL_LENGTH)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'url must be an http:// or https:// URL without user name or password' },
  )
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['account.suspended', 'account.deactivated'] })
  @IsArray() @ArrayMinSize(1, { message: 'events must list at least one event' }) @ArrayMaxSize(WEBHOOK_EVENTS.length) @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events: WebhookEvent[];
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    minimum: 0, maximum: MAX_ROTATION_GRACE_HOURS, default: DEFAULT_ROTATION_GRACE_HOURS,
    description: 'How long deliveries keep a second signature made with the replaced secret; 0 ends the old secret at once (it leaked)',
  })
  @IsOptionalNotNull() @IsInt({ message: 'gracePeriodHours must be a whole number of hours' })
  @Min(0, { message: `gracePeriodHours must be from 0 to ${MAX_ROTATION_GRACE_HOURS}` })
  @Max(MAX_ROTATION_GRACE_HOURS, { message: `gracePeriodHours must be from 0 to ${MAX_ROTATION_GRACE_HOURS}` })
  gracePeriodHours?: number;
}
