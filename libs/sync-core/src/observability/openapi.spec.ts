import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { API_PREFIX, buildOpenApiDocument, operationId } from './openapi';

class NoteDto {
  @ApiProperty()
  text!: string;
}

/** Registered, but referred to by no route (like the Kafka handlers' payload classes). */
class UnusedDto {
  @ApiProperty()
  never!: string;
}

@Controller('notes')
class NotesController {
  @Get()
  list(): string[] {
    return [];
  }

  @Post()
  add(@Body() _note: NoteDto): void {}
}

@Public()
@ApiExtraModels(UnusedDto)
@Controller('probe')
class ProbeController {
  @Get()
  live(): string {
    return 'ok';
  }
}

@Module({ controllers: [NotesController, ProbeController] })
class NotesModule {}

async function document() {
  const app = await NestFactory.create(NotesModule, { preview: true, logger: false });
  app.setGlobalPrefix(API_PREFIX);
  try {
    return buildOpenApiDocument(app, { title: 'Notes', description: 'Test', version: '1.0.0' });
  } finally {
    await app.close();
  }
}

describe('buildOpenApiDocument', () => {
  it('names operations after their controller and method', () => {
    expect(operationId('ConflictsController', 'resolve')).toBe('conflicts_resolve');
    expect(operationId('PublicMetricsController', 'index')).toBe('publicMetrics_index');
  });

  it('adds the answers every route shares: key errors, input errors, body size', async () => {
    const { paths } = await document();
    const list = paths['/api/notes'].get;
    const add = paths['/api/notes'].post;
    expect(list?.operationId).toBe('notes_list');
    expect(Object.keys(list?.responses ?? {}).sort()).toEqual(['200', '401', '403']);
    expect(Object.keys(add?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '413']);
    expect(add?.responses['413']).toEqual({
      description: expect.stringContaining('size limit') as string,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    });
  });

  it('asks for no key on routes marked @Public, and the X-API-Key header elsewhere', async () => {
    const built = await document();
    expect(built.paths['/api/probe'].get?.security).toEqual([]);
    expect(Object.keys(built.paths['/api/probe'].get?.responses ?? {})).toEqual(['200']);
    expect(built.security).toEqual([{ 'api-key': [] }]);
    expect(built.components?.securitySchemes?.['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
  });

  it('keeps only the schemas some route refers to', async () => {
    const { components } = await document();
    expect(Object.keys(components?.schemas ?? {}).sort()).toEqual([
      'ErrorResponse',
      'FieldErrorResponse',
      'NoteDto',
    ]);
  });
});
