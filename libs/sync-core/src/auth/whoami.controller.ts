import { Controller, Get, Module } from '@nestjs/common';
import type { ApiPrincipal } from './api-principal';
import { Principal } from './auth.decorators';

/** Who the presented API key belongs to: consoles and scripts check a key and learn its role. */
@Controller('offline-sync/whoami')
export class WhoAmIController {
  @Get()
  whoami(@Principal() principal: ApiPrincipal): ApiPrincipal {
    return { name: principal.name, role: principal.role };
  }
}

@Module({ controllers: [WhoAmIController] })
export class WhoAmIModule {}
