import { describe, expect, it } from 'vitest';
import { isSegmenterDataLoaded, loadSegmenterData } from '../../src/pool/warm-up.js';

describe('loadSegmenterData', () => {
  it('loads ICU segmentation data once per process, never at import', () => {
    expect(isSegmenterDataLoaded()).toBe(false);
    loadSegmenterData();
    loadSegmenterData();
    expect(isSegmenterDataLoaded()).toBe(true);
    expect([...new Intl.Segmenter('en').segment('a b')].length).toBe(3);
  });
});
