import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../../../src/ui/model/frame-batcher.ts';

describe('FrameBatcher', () => {
  it('flushes once per frame however many updates came in', () => {
    const frames: (() => void)[] = [];
    let flushes = 0;
    const batcher = new FrameBatcher(() => (flushes += 1), (flush) => frames.push(flush));
    for (let i = 0; i < 50; i++) batcher.request();
    expect(frames).toHaveLength(1);
    expect(flushes).toBe(0);
    frames.shift()!();
    expect(flushes).toBe(1);
    batcher.request();
    expect(frames).toHaveLength(1);
  });
});
