/** Kafka connection settings as validated from the environment (see config/kafka.env.ts). */
export interface KafkaConnectionSettings {
  brokers: string[];
  clientId: string;
  ssl?: {
    enabled: boolean;
    /** PEM file of the CA that signed the brokers' certificates. */
    caLocation?: string;
    /** Client certificate and key (PEM) for brokers that require mutual TLS. */
    certLocation?: string;
    keyLocation?: string;
    keyPassword?: string;
    rejectUnauthorized: boolean;
  };
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}
