/** Proves the harness loads: `harness.echo(x)` returns x and whether the page is cross-origin isolated. */
window.harness.echo = (value: unknown) => ({ value, isolated: globalThis.crossOriginIsolated });
