import {
  Alert,
  Anchor,
  Badge,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/api';
import { Freshness } from '../components/freshness';
import { ago } from '../format/time';
import { useApi } from '../hooks/use-api';

const PAGE_SIZE = 50;
const POLL_MS = 3000;

/** The columns, and the API's order (`sort`) that a click on a column asks for. */
const COLUMNS = [
  { label: 'Ship', sort: 'id' },
  { label: 'Link', sort: null },
  { label: 'Last seen', sort: 'last-seen' },
  { label: 'Unsent', sort: 'queue-depth' },
  { label: 'Sent, no outcome', sort: null },
  { label: 'Updates behind', sort: 'updates-behind' },
  { label: 'Open conflicts', sort: null },
] as const;

/** Every ship at a glance, refreshed every few seconds, sortable and filterable, page by page. */
export function FleetPage() {
  const [params, setParams] = useSearchParams();
  const get = (name: string) => params.get(name) ?? '';
  const sort = get('sort') || 'id';
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };
  const page = Number(get('page') || '1');
  const status = get('status');
  const search = get('search');
  const { data, error, fetchedAt } = useApi(
    () =>
      api.ships({
        status: status === 'online' || status === 'offline' ? status : undefined,
        sort: COLUMNS.find((column) => column.sort === sort)?.sort ?? 'id',
        search: search || undefined,
        page,
        pageSize: PAGE_SIZE,
      }),
    [status, sort, search, page],
    POLL_MS,
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Fleet</Title>
        <Freshness fetchedAt={fetchedAt} error={error} pollMs={POLL_MS} />
      </Group>
      <Group align="end">
        <SegmentedControl
          aria-label="Link state"
          value={get('status') || 'all'}
          onChange={(value) => set('status', value === 'all' ? '' : value)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'online', label: 'Online' },
            { value: 'offline', label: 'Offline' },
          ]}
        />
        <TextInput
          label="Ship id contains"
          value={get('search')}
          onChange={(e) => set('search', e.currentTarget.value)}
          w={220}
        />
        {data && (
          <Text size="sm" c="dimmed">
            {data.total} ship(s)
          </Text>
        )}
      </Group>
      {error && !data && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table striped aria-label="Ships">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((column) => (
                <Table.Th
                  key={column.label}
                  aria-sort={
                    column.sort !== null && sort === column.sort ? 'descending' : undefined
                  }
                >
                  {column.sort === null ? (
                    column.label
                  ) : (
                    <UnstyledButton onClick={() => set('sort', column.sort)} fw={600} fz="sm">
                      {column.label}
                      {sort === column.sort ? ' ▼' : ''}
                    </UnstyledButton>
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((ship) => (
              <Table.Tr key={ship.id} data-testid={`ship-${ship.id}`}>
                <Table.Td ff="monospace">{ship.id}</Table.Td>
                <Table.Td>
                  <Badge
                    color={ship.status === 'online' ? 'green' : 'gray'}
                    data-testid="ship-status"
                  >
                    {ship.status}
                  </Badge>
                </Table.Td>
                <Table.Td title={ship.lastSeenAt}>{ago(ship.lastSeenAt)}</Table.Td>
                <Table.Td>
                  {ship.queueDepth}
                  {ship.failedCount > 0 ? ` (${ship.failedCount} failed)` : ''}
                </Table.Td>
                <Table.Td>{ship.awaitingOutcome}</Table.Td>
                <Table.Td>{ship.lag ?? '?'}</Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/conflicts?status=open&ship=${encodeURIComponent(ship.id)}`}
                    data-testid="ship-open-conflicts"
                  >
                    {ship.openConflicts}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && data.total > PAGE_SIZE && (
        <Pagination
          total={Math.ceil(data.total / PAGE_SIZE)}
          value={page}
          onChange={(p) => set('page', String(p))}
          aria-label="Pages"
        />
      )}
    </Stack>
  );
}
