/**
 * LLM Markdown as HTML (DESIGN.md §9): rendered once a message is complete, with no images (how prompt
 * injections exfiltrate data: an image URL carrying secrets loads by itself) and no raw HTML (shown as
 * text instead). DOMPurify then keeps only a fixed list of harmless elements, so even a bug in the
 * renderer cannot produce a script, an event handler, an image or a frame.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Raw HTML in the model's text is shown as the text it is.
    html: ({ text }) => escapeText(text),
    // An image becomes its alt text and address as plain text: nothing is fetched.
    image: ({ href, text }) => `<span class="md-image">[image: ${escapeText(text || 'untitled')} — ${escapeText(href)}]</span>`,
  },
});

const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'input', 'li',
  'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'type', 'checked', 'disabled', 'align', 'start'];

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      if (node.tagName === 'INPUT' && node.getAttribute('type') !== 'checkbox') node.remove();
    });
  }
  return DOMPurify;
}

export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return purifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
    ADD_ATTR: ['target', 'rel'],
  });
}
