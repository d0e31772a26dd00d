import { test } from 'node:test';
import assert from 'node:assert/strict';
import { celsiusToFahrenheit, fahrenheitToCelsius } from './convert.js';

test('water boils at 212 °F', () => {
  assert.equal(celsiusToFahrenheit(100), 212);
});

test('0 °F is about -17.8 °C', () => {
  assert.equal(Math.round(fahrenheitToCelsius(0) * 10) / 10, -17.8);
});
