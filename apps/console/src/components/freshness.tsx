import { Badge, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';

/**
 * When the data shown was fetched, and a visible stale marker once a refresh failed or is late
 * (more than two refresh intervals old).
 */
export function Freshness({
  fetchedAt,
  error,
  pollMs,
}: {
  fetchedAt: number | null;
  error: Error | undefined;
  pollMs: number;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (fetchedAt === null) return null;
  const age = Math.max(0, Math.round((now - fetchedAt) / 1000));
  const stale = error !== undefined || now - fetchedAt > 2 * pollMs;
  return (
    <Group gap="xs" aria-live="polite">
      <Text size="sm" c="dimmed">
        Updated {age} s ago
      </Text>
      {stale && (
        <Badge color="orange" variant="light" title={error?.message}>
          Stale{error ? `: ${error.message}` : ''}
        </Badge>
      )}
    </Group>
  );
}
