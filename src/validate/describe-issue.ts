/**
 * Turns a zod validation issue into words an author understands:
 * "field `title`: expected text, got a list".
 */
import type { z } from 'zod';

export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? `field \`${issue.path.join('.')}\`` : 'the settings';
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return `${field} is required`;
      return `${field}: expected ${typeName(issue.expected)}, got ${describeValue(input)}`;
    }
    case 'invalid_union': {
      // Each branch of the union says what it wanted; "a list or text" reads better than "Invalid input".
      const wanted = issue.errors
        .map((branch) => branch[0])
        .map((first) =>
          first?.code === 'invalid_type' && first.path.length === 0
            ? typeName(first.expected)
            : first?.code === 'invalid_value' && first.path.length === 0
              ? first.values.map((v) => JSON.stringify(v)).join(' or ')
              : undefined,
        );
      if (input !== undefined && wanted.every((w) => w !== undefined)) {
        return `${field}: expected ${[...new Set(wanted)].join(' or ')}, got ${describeValue(input)}`;
      }
      return `${field} is not valid${input === undefined ? '' : `: got ${describeValue(input)}`}`;
    }
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.map((k) => `\`${k}\``).join(', ')}${
        issue.path.length ? ` in \`${issue.path.join('.')}\`` : ''
      }`;
    case 'too_small':
      if (issue.origin === 'string') return `${field} must not be empty`;
      if (issue.origin === 'array') return `${field} must have at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'}`;
      return `${field} must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}${input === undefined ? '' : `, got ${describeValue(input)}`}`;
    case 'too_big':
      if (issue.origin === 'string') return `${field} must be at most ${issue.maximum} characters long`;
      return `${field} must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}${input === undefined ? '' : `, got ${describeValue(input)}`}`;
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
    case 'int':
      return 'a whole number';
    default:
      return `a ${expected}`;
  }
}

/** A short description of a value, quoting scalars so the author can find them. */
function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'string') return value.length <= 40 ? `text ${JSON.stringify(value)}` : 'text';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
