import {
  Alert,
  Anchor,
  Group,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/api';
import { ago } from '../format/time';
import { useApi } from '../hooks/use-api';

const PAGE_SIZE = 25;

/** The master's content, by type and locale. */
export function ContentPage() {
  const [params, setParams] = useSearchParams();
  const types = useApi(() => api.contentTypes(), []);
  const type = params.get('type') ?? types.data?.[0]?.name ?? '';
  const locale = params.get('locale') ?? '';
  const page = Number(params.get('page') ?? '1');
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };
  const docs = useApi(
    () => (type ? api.documents(type, locale, page, PAGE_SIZE) : Promise.resolve(undefined)),
    [type, locale, page],
  );
  const localized = types.data?.find((t) => t.name === type)?.localized ?? true;

  return (
    <Stack>
      <Title order={2}>Content</Title>
      <Group align="end">
        <Select
          label="Type"
          data={(types.data ?? []).map((t) => t.name)}
          value={type || null}
          onChange={(value) => value && set('type', value)}
          allowDeselect={false}
          w={200}
        />
        {localized && (
          <TextInput
            label="Locale"
            value={locale}
            onChange={(e) => set('locale', e.currentTarget.value)}
            w={120}
          />
        )}
      </Group>
      {(types.error ?? docs.error) && (
        <Alert color="red" role="alert">
          {(types.error ?? docs.error)?.message}
        </Alert>
      )}
      <Table striped aria-label="Documents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Document</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Updated</Table.Th>
            <Table.Th>By</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {docs.data?.items.map((doc) => (
            <Table.Tr key={doc.id}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/content/${doc.type}/${doc.id}?locale=${encodeURIComponent(doc.locale)}`}
                  ff="monospace"
                >
                  {doc.id}
                </Anchor>
              </Table.Td>
              <Table.Td>{doc.version}</Table.Td>
              <Table.Td title={doc.updatedAt}>{ago(doc.updatedAt)}</Table.Td>
              <Table.Td>{doc.updatedBy ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {docs.data && docs.data.items.length === 0 && <Text c="dimmed">No documents.</Text>}
      {docs.data && docs.data.total > PAGE_SIZE && (
        <Pagination
          total={Math.ceil(docs.data.total / PAGE_SIZE)}
          value={page}
          onChange={(p) => set('page', String(p))}
          aria-label="Pages"
        />
      )}
    </Stack>
  );
}
