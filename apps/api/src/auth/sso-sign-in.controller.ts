import { Body, Controller, Get, HttpCode, Post, Redirect, Req } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public, SsoExchange, SsoExchangeView, SsoSignInService, SsoStartView, SsoTicketsService } from '@app/identity';
import { SsoExchangeDto, SsoStartDto } from '../sso/sso.dto';
import { AuthRateLimited } from './rate-limit';

/**
 * R-SSO sign-in through the establishment's OpenID provider: start (the provider's URL), the callback the provider
 * sends the browser to (a redirect to the console with a single-use ticket), and the ticket's exchange.
 */
@ApiTags('auth')
@Controller('v1/auth/sso')
export class SsoSignInController {
  constructor(private readonly signIn: SsoSignInService, private readonly tickets: SsoTicketsService) {}

  @AuthRateLimited()
  @Post('start') @HttpCode(200) @Public() @ApiOkResponse({ type: SsoStartView })
  @ApiOperation({ summary: 'The provider\'s authorization URL for the establishment accepting the e-mail\'s domain (code flow, PKCE)' })
  start(@Body() body: SsoStartDto): Promise<SsoStartView> {
    return this.signIn.start(body.email, body.tenantId);
  }

  @AuthRateLimited()
  @Get('callback') @Public() @Redirect()
  @ApiOperation({ summary: 'The redirect URI registered at the provider; sends the browser to /login?ticket=… or /login?sso_error=CODE' })
  @ApiFoundResponse({ description: 'To the console\'s sign-in page' })
  async callback(@Req() req: FastifyRequest): Promise<{ url: string; statusCode: number }> {
    const query = Object.fromEntries(Object.entries(req.query as Record<string, unknown>).filter(([, v]) => typeof v === 'string'));
    return { url: await this.signIn.callback(query as Record<string, string>), statusCode: 302 };
  }

  @AuthRateLimited()
  @Post('exchange') @HttpCode(200) @Public() @ApiOkResponse({ type: SsoExchangeView })
  @ApiOperation({ summary: 'The ticket, once: the tokens, or { mfaToken, next } when the provider did not ask a second factor' })
  exchange(@Body() body: SsoExchangeDto, @Req() req: FastifyRequest): Promise<SsoExchange> {
    return this.tickets.exchange(body.ticket, body.browserProof, { ip: req.ip, userAgent: req.headers['user-agent'] });
  }
}
