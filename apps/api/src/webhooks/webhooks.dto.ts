import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUrl, MaxLength } from 'class-validator';
import { MAX_URL_LENGTH, WEBHOOK_EVENTS, WebhookEvent } from '@app/notifications';

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
