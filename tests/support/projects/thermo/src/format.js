export function formatTemperature(value, unit) {
  return `${value.toFixed(1)} °${unit}`;
}
