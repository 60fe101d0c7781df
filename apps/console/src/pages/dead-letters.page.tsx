import {
  Accordion,
  Alert,
  Badge,
  Button,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api } from '../api/api';
import type { DeadLetter } from '../api/api-types';
import { useCan } from '../auth/session.context';
import { JsonValue } from '../components/json-value';
import { ago, when } from '../format/time';
import { useApi } from '../hooks/use-api';

const PAGE_SIZE = 25;
const COLOR: Record<DeadLetter['status'], string> = {
  pending: 'yellow',
  retrying: 'orange',
  exhausted: 'red',
  resolved: 'green',
};

function payloadOf(letter: DeadLetter): unknown {
  if (letter.valueEncoding !== 'utf8') return `(${letter.valueEncoding}) ${letter.value}`;
  try {
    return JSON.parse(letter.value) as unknown;
  } catch {
    return letter.value;
  }
}

/** Messages refused on the way in: why, what they held, and a retry for an operator. */
export function DeadLettersPage() {
  const canRetry = useCan('operator');
  const [status, setStatus] = useState('all');
  const [page, setPage] = useState(1);
  const { data, error, reload } = useApi(
    () =>
      api.deadLetters({
        status: status === 'all' ? undefined : (status as DeadLetter['status']),
        page,
        pageSize: PAGE_SIZE,
      }),
    [status, page],
    10_000,
  );
  const [busy, setBusy] = useState<string | null>(null);

  const retry = async (letter: DeadLetter) => {
    setBusy(letter.id);
    try {
      const after = await api.retryDeadLetter(letter.id);
      notifications.show({
        color: after.status === 'resolved' ? 'green' : 'orange',
        title: `Retried: ${after.status}`,
        message:
          after.status === 'resolved' ? 'It went through.' : `${after.reason}: ${after.detail}`,
      });
      reload();
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: 'Retry refused',
        message: String(failure instanceof Error ? failure.message : failure),
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack>
      <Title order={2}>Dead letters</Title>
      <SegmentedControl
        aria-label="Status"
        value={status}
        onChange={(value) => {
          setStatus(value);
          setPage(1);
        }}
        data={['all', 'pending', 'retrying', 'exhausted', 'resolved']}
      />
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {data && data.items.length === 0 && <Text c="dimmed">No dead letters.</Text>}
      <Accordion multiple variant="separated">
        {data?.items.map((letter) => (
          <Accordion.Item key={letter.id} value={letter.id} data-testid="dead-letter">
            <Accordion.Control>
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm">
                  <b>{letter.reason}</b> · {letter.sender ?? 'unknown sender'} · {letter.topic}[
                  {letter.partition}]@{letter.offset}
                </Text>
                <Group gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {ago(letter.createdAt)}
                  </Text>
                  <Badge color={COLOR[letter.status]} data-testid="dead-letter-status">
                    {letter.status}
                  </Badge>
                </Group>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap="xs">
                <Text size="sm">{letter.detail}</Text>
                <Text size="xs" c="dimmed">
                  {letter.attempts} attempt(s); last {when(letter.lastAttemptAt)}; next{' '}
                  {when(letter.nextAttemptAt)}
                </Text>
                <JsonValue value={payloadOf(letter)} />
                {canRetry && letter.status !== 'resolved' && (
                  <Group>
                    <Button
                      size="xs"
                      loading={busy === letter.id}
                      onClick={() => void retry(letter)}
                    >
                      Retry now
                    </Button>
                  </Group>
                )}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      {data && data.total > PAGE_SIZE && (
        <Pagination
          total={Math.ceil(data.total / PAGE_SIZE)}
          value={page}
          onChange={setPage}
          aria-label="Pages"
        />
      )}
    </Stack>
  );
}
