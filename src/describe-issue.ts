/**
 * Turns a zod validation issue into words an author understands:
 * "field `title`: expected text, got a number".
 */
import type { z } from 'zod';

export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? `field \`${issue.path.join('.')}\`` : 'the settings';
  switch (issue.code) {
    case 'invalid_type': {
      const input = 'input' in issue ? issue.input : undefined;
      if (input === undefined) return `${field} is required`;
      return `${field}: expected ${typeName(issue.expected)}, got ${describeValue(input)}`;
    }
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.map((k) => `\`${k}\``).join(', ')}${
        issue.path.length ? ` in \`${issue.path.join('.')}\`` : ''
      }`;
    case 'too_small':
      return issue.origin === 'string' ? `${field} must not be empty` : `${field}: ${issue.message}`;
    default:
      return `${field} ${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
