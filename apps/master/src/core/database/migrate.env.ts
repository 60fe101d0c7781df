import { IsString, Matches } from 'class-validator';

/** What the migration command needs: only the database (no Kafka, keys or content types). */
export class MigrateEnv {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  @IsString({ message: 'is required: postgres://user:password@host:port/database' })
  DATABASE_URL!: string;
}
