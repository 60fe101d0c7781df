import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api';
import { ApiError } from '../api/api-error';
import type { Principal } from '../api/api-types';

/** Sign-in with an API key; the key is checked with the API before it is kept. */
export function SignInPage({ onSignedIn }: { onSignedIn: (key: string, who: Principal) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(key.trim(), await api.whoami(key.trim()));
    } catch (failure) {
      setError(
        failure instanceof ApiError && (failure.status === 401 || failure.status === 403)
          ? 'This API key is not valid for this master.'
          : failure instanceof ApiError && failure.status === 429
            ? 'Too many failed attempts: wait a moment and try again.'
            : `The master could not be reached (${String(failure)}).`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Title order={2}>Offline Sync console</Title>
            <Text size="sm" c="dimmed">
              Sign in with your API key. It stays in this browser tab only.
            </Text>
            <PasswordInput
              label="API key"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              required
              autoFocus
              autoComplete="off"
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy} disabled={key.trim() === ''}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
