import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/api';
import { ApiError } from '../api/api-error';
import type { Conflict, Strategy } from '../api/api-types';
import { useCan } from '../auth/session.context';
import { JsonValue } from '../components/json-value';
import { when } from '../format/time';
import { useApi } from '../hooks/use-api';
import {
  editText,
  fieldRows,
  initialChoices,
  mergedDocument,
  type FieldChoice,
} from './conflict-merge';

/** One conflict: base, ship and master side by side, a choice per field, and the resolution. */
export function ConflictPage() {
  const { id = '' } = useParams();
  const { data: conflict, error, reload } = useApi(() => api.conflict(id), [id]);
  const canAct = useCan('operator');
  const rows = useMemo(() => (conflict ? fieldRows(conflict) : []), [conflict]);
  const [choices, setChoices] = useState<Record<string, FieldChoice>>({});
  const [busy, setBusy] = useState(false);
  const [taken, setTaken] = useState<string | null>(null);

  useEffect(() => setChoices(initialChoices(rows)), [rows]);

  if (error && !conflict) {
    return (
      <Alert color="red" role="alert">
        {error.message}
      </Alert>
    );
  }
  if (!conflict) return <Loader aria-label="Loading the conflict" />;

  const merged = mergedDocument(rows, choices);
  const resolve = async (strategy: Strategy) => {
    setBusy(true);
    try {
      await api.resolve(conflict.id, strategy, strategy === 'merge' ? merged : undefined);
      notifications.show({
        color: 'green',
        title: 'Resolved',
        message: `${strategy}: a new version is on its way to every node.`,
      });
      reload();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setTaken(failure.message);
        reload();
      } else {
        notifications.show({
          color: 'red',
          title: 'Not resolved',
          message: String(failure instanceof Error ? failure.message : failure),
        });
      }
    } finally {
      setBusy(false);
    }
  };
  const restore = async (side: 'ship' | 'master') => {
    setBusy(true);
    try {
      const after = await api.restore(conflict.id, side);
      const version = after.restorations?.at(-1)?.version;
      notifications.show({
        color: 'green',
        title: 'Restored',
        message: `The ${side}'s side is version ${version ?? '?'} now.`,
      });
      reload();
    } catch (failure) {
      notifications.show({
        color: 'red',
        title: 'Not restored',
        message: String(failure instanceof Error ? failure.message : failure),
      });
    } finally {
      setBusy(false);
    }
  };
  const setChoice = (field: string, choice: FieldChoice) =>
    setChoices({ ...choices, [field]: choice });

  return (
    <Stack>
      <Group justify="space-between" align="start">
        <div>
          <Title order={2}>
            Conflict on {conflict.type}{' '}
            <Text span ff="monospace">
              {conflict.documentId}
            </Text>
          </Title>
          <Text size="sm" c="dimmed">
            Locale {conflict.locale || '(none)'} · ship {conflict.shipId} · {conflict.conflictType}{' '}
            ({conflict.rule}) · base version {conflict.baseVersion}, master version{' '}
            {conflict.master.version} · opened {when(conflict.createdAt)}
          </Text>
          <Anchor
            component={Link}
            to={`/content/${conflict.type}/${conflict.documentId}?locale=${encodeURIComponent(conflict.locale)}`}
            size="sm"
          >
            The document and its revisions
          </Anchor>
        </div>
        <Badge
          size="lg"
          color={conflict.status === 'open' ? 'orange' : 'gray'}
          data-testid="conflict-status"
        >
          {conflict.status}
        </Badge>
      </Group>

      {taken && (
        <Alert
          color="yellow"
          role="alert"
          title="Someone else resolved this conflict first"
          data-testid="resolved-elsewhere"
        >
          {taken}
        </Alert>
      )}

      <Resolution
        conflict={conflict}
        canAct={canAct}
        busy={busy}
        onRestore={(side) => void restore(side)}
      />

      <Table.ScrollContainer minWidth={800}>
        <Table
          withTableBorder
          withColumnBorders
          verticalSpacing="sm"
          aria-label="Fields side by side"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>Field</Table.Th>
              <Table.Th>Base (v{conflict.baseVersion})</Table.Th>
              <Table.Th>Ship {conflict.ship.deleted ? '(deleted the document)' : ''}</Table.Th>
              <Table.Th>
                Master (v{conflict.master.version}) {conflict.master.deleted ? '(deleted)' : ''}
              </Table.Th>
              {conflict.status === 'open' && canAct && <Table.Th w={260}>Merged</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const choice = choices[row.field] ?? { side: 'master' };
              return (
                <Table.Tr
                  key={row.field}
                  bg={row.differs ? 'var(--mantine-color-yellow-light)' : undefined}
                  data-testid={`field-${row.field}`}
                  data-differs={row.differs}
                >
                  <Table.Td>
                    <Text fw={row.differs ? 700 : 400} ff="monospace" size="sm">
                      {row.field}
                    </Text>
                    {row.differs && (
                      <Badge size="xs" color="yellow">
                        differs
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <JsonValue value={row.base} />
                  </Table.Td>
                  <Table.Td>
                    <JsonValue value={row.ship} />
                  </Table.Td>
                  <Table.Td>
                    <JsonValue value={row.master} />
                  </Table.Td>
                  {conflict.status === 'open' && canAct && (
                    <Table.Td>
                      <Stack gap={4}>
                        <SegmentedControl
                          size="xs"
                          aria-label={`Value of ${row.field}`}
                          value={choice.side}
                          onChange={(side) =>
                            setChoice(
                              row.field,
                              side === 'edit'
                                ? {
                                    side: 'edit',
                                    text: editText(choice.side === 'ship' ? row.ship : row.master),
                                  }
                                : { side: side },
                            )
                          }
                          data={[
                            { value: 'ship', label: 'Ship' },
                            { value: 'master', label: 'Master' },
                            { value: 'edit', label: 'Edit' },
                          ]}
                        />
                        {choice.side === 'edit' && (
                          <Textarea
                            aria-label={`Edited value of ${row.field}`}
                            autosize
                            minRows={1}
                            value={choice.text}
                            onChange={(e) =>
                              setChoice(row.field, { side: 'edit', text: e.currentTarget.value })
                            }
                          />
                        )}
                      </Stack>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {conflict.status === 'open' && canAct && (
        <Paper withBorder p="md">
          <Stack>
            <Text fw={600}>Merged document</Text>
            <JsonValue value={merged} />
            <Group>
              <Button loading={busy} onClick={() => void resolve('merge')}>
                Resolve with the merged document
              </Button>
              <Button variant="light" loading={busy} onClick={() => void resolve('keep-ship')}>
                Keep ship
              </Button>
              <Button variant="light" loading={busy} onClick={() => void resolve('keep-master')}>
                Keep master
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

function Resolution({
  conflict,
  canAct,
  busy,
  onRestore,
}: {
  conflict: Conflict;
  canAct: boolean;
  busy: boolean;
  onRestore: (side: 'ship' | 'master') => void;
}) {
  const resolution = conflict.resolution;
  if (!resolution) return null;
  const losing: Array<'ship' | 'master'> =
    resolution.strategy === 'keep-ship'
      ? ['master']
      : resolution.strategy === 'keep-master'
        ? ['ship']
        : ['ship', 'master'];
  return (
    <Paper withBorder p="md" data-testid="resolution">
      <Stack gap="xs">
        <Text>
          Resolved <b>{resolution.strategy}</b> by <b>{resolution.by ?? '?'}</b> on{' '}
          {when(resolution.at)}, as version {resolution.version ?? '?'}.
        </Text>
        {resolution.data && <JsonValue value={resolution.data} />}
        {(conflict.restorations ?? []).map((r) => (
          <Text key={r.version} size="sm" data-testid="restoration">
            The {r.side}&apos;s side was restored as version {r.version} by {r.by} on {when(r.at)}.
          </Text>
        ))}
        {canAct && (
          <Group>
            {losing.map((side) => (
              <Button
                key={side}
                variant="default"
                size="xs"
                loading={busy}
                onClick={() => onRestore(side)}
              >
                Restore the {side}&apos;s side as a new version
              </Button>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
