import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTemperature } from './format.js';

test('one decimal and the unit', () => {
  assert.equal(formatTemperature(21, 'C'), '21.0 °C');
});
