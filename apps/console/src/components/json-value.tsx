import { Code, Text } from '@mantine/core';

/** A document value made readable: text as text (long text wraps), anything else as JSON. */
export function JsonValue({ value }: { value: unknown }) {
  if (value === undefined) {
    return (
      <Text c="dimmed" fs="italic" size="sm">
        (absent)
      </Text>
    );
  }
  if (typeof value === 'string') {
    return (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    );
  }
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
