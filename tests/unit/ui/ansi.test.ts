import { describe, expect, it } from 'vitest';
import { ansiToHtml } from '../../../src/ui/model/ansi.ts';

describe('ansiToHtml', () => {
  it('escapes HTML in process output', () => {
    const html = ansiToHtml('<img src=x onerror=alert(1)> & <script>alert(2)</script>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;');
  });

  it('turns colours into classes and drops the escape codes', () => {
    const html = ansiToHtml('\u001b[31mnot ok 1 - adds\u001b[0m done');
    expect(html).toContain('class="ansi-red-fg"');
    expect(html).toContain('not ok 1 - adds');
    expect(html).not.toContain('\u001b');
  });

  it('never makes a link from an OSC 8 hyperlink', () => {
    const html = ansiToHtml('\u001b]8;;https://evil.example/x\u0007click\u001b]8;;\u0007');
    expect(html).not.toContain('<a');
    expect(html).not.toContain('evil.example');
  });
});
