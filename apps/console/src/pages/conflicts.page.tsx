import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Pagination,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/api';
import type { ConflictQuery } from '../api/api-types';
import { useCan } from '../auth/session.context';
import { ago } from '../format/time';
import { useApi } from '../hooks/use-api';

const PAGE_SIZE = 25;
const AGES = [
  { value: '', label: 'Any age' },
  { value: '60', label: 'Older than 1 hour' },
  { value: '1440', label: 'Older than 1 day' },
  { value: '10080', label: 'Older than 7 days' },
];

/** Conflicts with filters and counts; an operator resolves several at once with one strategy. */
export function ConflictsPage() {
  const canResolve = useCan('operator');
  const [params, setParams] = useSearchParams();
  const filter = (name: string) => params.get(name) ?? '';
  const query: ConflictQuery = {
    status:
      (filter('status') || 'open') === 'all'
        ? undefined
        : ((filter('status') || 'open') as 'open' | 'resolved'),
    type: filter('type') || undefined,
    ship: filter('ship') || undefined,
    locale: params.has('locale') ? filter('locale') : undefined,
    olderThanMinutes: filter('age') ? Number(filter('age')) : undefined,
    page: Number(filter('page') || '1'),
    pageSize: PAGE_SIZE,
  };
  const setFilter = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null || (value === '' && name !== 'locale')) next.delete(name);
    else next.set(name, value);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };
  const { data, error, loading, reload } = useApi(
    () => api.conflicts(query),
    [params.toString()],
    10_000,
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const open = data?.items.filter((c) => c.status === 'open') ?? [];
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const resolveSelected = async (strategy: 'keep-ship' | 'keep-master') => {
    setBusy(true);
    try {
      const { results } = await api.resolveMany([...selected], strategy);
      const done = results.filter((r) => r.status === 200).length;
      const taken = results.filter((r) => r.status === 409).length;
      const failed = results.length - done - taken;
      notifications.show({
        color: failed > 0 ? 'red' : 'green',
        title: `${done} conflict(s) resolved (${strategy})`,
        message:
          [
            taken > 0 ? `${taken} had already been resolved by someone else` : '',
            failed > 0
              ? `${failed} refused: ${results.find((r) => r.status >= 400 && r.status !== 409)?.message ?? ''}`
              : '',
          ]
            .filter(Boolean)
            .join('. ') || 'All selected conflicts are resolved.',
      });
      setSelected(new Set());
      reload();
    } catch (failure) {
      notifications.show({ color: 'red', title: 'Bulk resolve failed', message: String(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Conflicts</Title>
        {data && (
          <Group gap="xs">
            <Badge color="orange" size="lg" data-testid="count-open">
              {data.counts.open} open
            </Badge>
            <Badge color="gray" size="lg" data-testid="count-resolved">
              {data.counts.resolved} resolved
            </Badge>
          </Group>
        )}
      </Group>
      <Group align="end" wrap="wrap">
        <SegmentedControl
          aria-label="Status"
          value={filter('status') || 'open'}
          onChange={(value) => setFilter('status', value)}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'resolved', label: 'Resolved' },
            { value: 'all', label: 'All' },
          ]}
        />
        <TextInput
          label="Type"
          value={filter('type')}
          onChange={(e) => setFilter('type', e.currentTarget.value)}
          w={140}
        />
        <TextInput
          label="Ship"
          value={filter('ship')}
          onChange={(e) => setFilter('ship', e.currentTarget.value)}
          w={140}
        />
        <TextInput
          label="Locale"
          placeholder="any"
          value={filter('locale')}
          onChange={(e) => setFilter('locale', e.currentTarget.value || null)}
          w={100}
        />
        <Select
          label="Age"
          data={AGES}
          value={filter('age')}
          onChange={(value) => setFilter('age', value ?? '')}
          w={170}
          allowDeselect={false}
        />
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {canResolve && selected.size > 0 && (
        <Group>
          <Text size="sm">{selected.size} selected:</Text>
          <Button size="xs" loading={busy} onClick={() => void resolveSelected('keep-ship')}>
            Keep ship for all
          </Button>
          <Button
            size="xs"
            variant="light"
            loading={busy}
            onClick={() => void resolveSelected('keep-master')}
          >
            Keep master for all
          </Button>
        </Group>
      )}
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover aria-busy={loading}>
          <Table.Thead>
            <Table.Tr>
              {canResolve && (
                <Table.Th>
                  <Checkbox
                    aria-label="Select every open conflict on this page"
                    checked={open.length > 0 && open.every((c) => selected.has(c.id))}
                    onChange={(e) =>
                      setSelected(
                        e.currentTarget.checked ? new Set(open.map((c) => c.id)) : new Set(),
                      )
                    }
                  />
                </Table.Th>
              )}
              <Table.Th>Document</Table.Th>
              <Table.Th>Locale</Table.Th>
              <Table.Th>Ship</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Opened</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((conflict) => (
              <Table.Tr key={conflict.id} data-testid="conflict-row">
                {canResolve && (
                  <Table.Td>
                    {conflict.status === 'open' && (
                      <Checkbox
                        aria-label={`Select conflict ${conflict.id}`}
                        checked={selected.has(conflict.id)}
                        onChange={() => toggle(conflict.id)}
                      />
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <Anchor component={Link} to={`/conflicts/${conflict.id}`}>
                    {conflict.type} {conflict.documentId.slice(-12)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{conflict.locale || '—'}</Table.Td>
                <Table.Td>{conflict.shipId}</Table.Td>
                <Table.Td>{conflict.conflictType}</Table.Td>
                <Table.Td title={conflict.createdAt}>{ago(conflict.createdAt)}</Table.Td>
                <Table.Td>
                  <Badge color={conflict.status === 'open' ? 'orange' : 'gray'} variant="light">
                    {conflict.resolution
                      ? `${conflict.resolution.strategy} by ${conflict.resolution.by ?? '?'}`
                      : conflict.status}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && data.items.length === 0 && <Text c="dimmed">No conflicts match.</Text>}
      {data && data.total > PAGE_SIZE && (
        <Pagination
          total={Math.ceil(data.total / PAGE_SIZE)}
          value={query.page}
          onChange={(page) => setFilter('page', String(page))}
          aria-label="Pages"
        />
      )}
    </Stack>
  );
}
