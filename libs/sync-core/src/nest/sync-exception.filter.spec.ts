import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { SyncExceptionFilter } from './sync-exception.filter';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('SyncExceptionFilter on the refusals of Express itself', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(EchoModule, {
      logger: false,
      bodyParser: false,
    });
    app.useBodyParser('json', { limit: 1024 });
    app.useGlobalFilters(new SyncExceptionFilter());
    await app.init();
  });

  afterAll(() => app.close());

  it('answers a body over the limit with 413 naming the limit', async () => {
    const response = await request(app.getHttpServer())
      .post('/echo')
      .send({ text: 'a'.repeat(4096) })
      .expect(413);
    expect(response.body).toMatchObject({
      statusCode: 413,
      maxBytes: 1024,
      errors: [{ field: 'body', reason: 'is larger than the 1024-byte limit' }],
    });
  });

  it('answers a body that is not JSON with 400 and no parser details', async () => {
    const response = await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"text":')
      .expect(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      message: 'Request body is not valid JSON',
    });
  });
});
