import { Alert, Anchor, Badge, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../api/api';
import { JsonValue } from '../components/json-value';
import { when } from '../format/time';
import { useApi } from '../hooks/use-api';

const REVISIONS_SHOWN = 100;

/** A document as the master holds it, its revisions (authors, origins), and its open conflicts. */
export function DocumentPage() {
  const { type = '', id = '' } = useParams();
  const [params] = useSearchParams();
  const locale = params.get('locale') ?? '';
  const doc = useApi(() => api.document(type, id, locale), [type, id, locale]);
  // The newest versions first: the last page of the edit log (it is listed oldest first).
  const revisions = useApi(async () => {
    const first = await api.revisions(type, id, locale, 1, REVISIONS_SHOWN);
    const last = Math.ceil(first.total / REVISIONS_SHOWN);
    return last <= 1 ? first : api.revisions(type, id, locale, last, REVISIONS_SHOWN);
  }, [type, id, locale]);
  const conflicts = useApi(
    () => api.conflicts({ status: 'open', type, document: id, locale, pageSize: 50 }),
    [type, id, locale],
  );

  return (
    <Stack>
      <Title order={2}>
        {type}{' '}
        <Text span ff="monospace">
          {id}
        </Text>{' '}
        {locale && <Badge>{locale}</Badge>}
      </Title>
      {conflicts.data?.items.map((conflict) => (
        <Alert
          key={conflict.id}
          color="orange"
          title="Open conflict"
          data-testid="document-conflict"
        >
          <Anchor component={Link} to={`/conflicts/${conflict.id}`}>
            {conflict.conflictType} with {conflict.shipId}
          </Anchor>
        </Alert>
      ))}
      {doc.error && <Alert color="gray">{doc.error.message}</Alert>}
      {doc.data && (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            Version {doc.data.version} · {when(doc.data.updatedAt)} · {doc.data.updatedBy ?? ''}
          </Text>
          <JsonValue value={doc.data.data} />
        </Stack>
      )}
      <Title order={3}>Revisions</Title>
      {revisions.loading && !revisions.data && <Loader aria-label="Loading the revisions" />}
      {revisions.error && <Alert color="red">{revisions.error.message}</Alert>}
      <Table.ScrollContainer minWidth={700}>
        <Table striped aria-label="Revisions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Author</Table.Th>
              <Table.Th>Changed</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Data</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...(revisions.data?.items ?? [])].reverse().map((revision) => (
              <Table.Tr key={revision.version} data-testid="revision">
                <Table.Td>{revision.version}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {revision.author}
                    {revision.changeId && (
                      <Badge size="xs" variant="light" title={revision.changeId}>
                        ship change
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {revision.deleted ? 'deleted' : revision.changedFields.join(', ') || '—'}
                </Table.Td>
                <Table.Td>{when(revision.at)}</Table.Td>
                <Table.Td>
                  <JsonValue value={revision.data} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
