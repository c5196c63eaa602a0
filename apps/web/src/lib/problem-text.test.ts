import { describe, expect, it } from 'vitest';
import { problemText } from './problem-text';

describe('problemText', () => {
  it('says the problem detail, else its title, else the status', () => {
    expect(problemText({ title: 'Not Found', detail: 'no media item with this id' }, 404)).toBe(
      'no media item with this id',
    );
    expect(problemText({ title: 'Not Found' }, 404)).toBe('Not Found');
    expect(problemText({ detail: 42 }, 500)).toBe('HTTP 500');
    expect(problemText(null, 502)).toBe('HTTP 502');
    expect(problemText('<html>', 503)).toBe('HTTP 503');
  });
});
