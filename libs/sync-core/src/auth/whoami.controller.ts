import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ApiPrincipal } from './api-principal';
import { API_ROLES, type ApiRole } from './api-role';
import { Principal } from './auth.decorators';

export class PrincipalResponse implements ApiPrincipal {
  @ApiProperty({ description: "The key's name in the configuration", example: 'alice' })
  name!: string;

  @ApiProperty({ enum: API_ROLES, example: 'operator' })
  role!: ApiRole;
}

/** Who the presented API key belongs to: consoles and scripts check a key and learn its role. */
@ApiTags('auth')
@Controller('offline-sync/whoami')
export class WhoAmIController {
  @Get()
  @ApiOperation({ summary: 'Who the presented API key belongs to, and its role' })
  @ApiOkResponse({ type: PrincipalResponse })
  whoami(@Principal() principal: ApiPrincipal): ApiPrincipal {
    return { name: principal.name, role: principal.role };
  }
}

@Module({ controllers: [WhoAmIController] })
export class WhoAmIModule {}
