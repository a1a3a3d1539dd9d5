import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_COMMENT_LENGTH } from '../../src/vulns/comments.js';
import { renderMarkdown } from '../../src/vulns/markdown.js';

const ELEMENTS = new Set(['p', 'a', 'em', 'strong', 'code', 'pre', 'img', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 's']);
const ATTRIBUTES = new Set(['href', 'src', 'alt', 'rel', 'title', 'start', 'class', 'style']);

/** Only Markdown's own elements, no event handlers, and URLs only of the allowed schemes. */
function assertInert(html: string): void {
  for (const [tag, name, attributes] of html.matchAll(/<\/?([a-z\d]+)([^>]*)>/gi)) {
    assert.ok(ELEMENTS.has(name!), tag);
    const rest = attributes!.replace(/\s([a-z]+)="([^"]*)"/g, (_all, attribute: string, value: string) => {
      assert.ok(ATTRIBUTES.has(attribute), tag);
      if (attribute === 'href' || attribute === 'src') assert.match(value, /^(https?|mailto):/, tag);
      // markdown-it writes style only for table alignment
      if (attribute === 'style') assert.match(value, /^text-align:(left|right|center)$/, tag);
      return '';
    });
    assert.equal(rest.trim(), '', tag);
  }
}

/** `piece` repeated up to the largest comment. */
function fill(piece: string): string {
  return piece.repeat(Math.floor(MAX_COMMENT_LENGTH / piece.length));
}

describe('renderMarkdown', () => {
  test('renders ordinary Markdown', () => {
    assert.equal(renderMarkdown('**Fixed** in `1.2.3`, see [the advisory](https://example.com/a).'),
      '<p><strong>Fixed</strong> in <code>1.2.3</code>, see <a href="https://example.com/a" rel="nofollow noopener noreferrer">the advisory</a>.</p>\n');
  });

  test('the inertness check used below catches live markup', () => {
    for (const live of ['<script>x</script>', '<a href="javascript:x">x</a>', '<img src="data:image/png;base64,AA==">', '<p onclick="x()">x</p>', '<svg onload=x>']) {
      assert.throws(() => assertInert(live), assert.AssertionError, live);
    }
  });

  test('escapes raw HTML instead of passing it through', () => {
    assert.equal(renderMarkdown('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    assert.equal(renderMarkdown('<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    assert.equal(renderMarkdown('<div onclick="x()">\n\n*hi*\n\n</div>'), '<p>&lt;div onclick=&quot;x()&quot;&gt;</p>\n<p><em>hi</em></p>\n<p>&lt;/div&gt;</p>\n');
  });

  const refusedLinks = [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](file:///etc/passwd)',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '![x](data:image/png;base64,iVBORw0KGgo=)',
    '![x](data:image/svg+xml;base64,PHN2Zz4=)',
    '[x](/api/v1/user/tokens)',
    '<javascript:alert(1)>',
  ];
  for (const source of refusedLinks) {
    test(`leaves ${source} as text`, () => {
      const html = renderMarkdown(source);
      assert.doesNotMatch(html, /<a |<img /, html);
      assertInert(html);
    });
  }

  test('http, https and mailto links work and carry rel="nofollow noopener noreferrer", linkified ones too', () => {
    assert.equal(
      renderMarkdown('[mail](mailto:sec@example.com) and www.example.com and <https://example.com/x>'),
      '<p><a href="mailto:sec@example.com" rel="nofollow noopener noreferrer">mail</a> and <a href="http://www.example.com" rel="nofollow noopener noreferrer">www.example.com</a> and <a href="https://example.com/x" rel="nofollow noopener noreferrer">https://example.com/x</a></p>\n',
    );
    assert.equal(renderMarkdown('![screenshot](https://example.com/s.png)'), '<p><img src="https://example.com/s.png" alt="screenshot"></p>\n');
  });

  test('quotes in a URL cannot break out of the attribute', () => {
    const html = renderMarkdown('[x](https://example.com/"onmouseover="alert(1))');
    assert.equal(html, '<p><a href="https://example.com/%22onmouseover=%22alert(1)" rel="nofollow noopener noreferrer">x</a></p>\n');
  });

  // The API refuses longer bodies; these are the shapes that make Markdown parsers slow or deep.
  for (const [name, source] of [
    ['nested quotes', fill('>')],
    ['nested lists', fill(' - ')],
    ['unclosed brackets', fill('[')],
    ['unclosed links', fill('[a](')],
    ['emphasis runs', fill('*a')],
    ['angle brackets', fill('<')],
    ['hostile mix', fill('<img src=x onerror=alert(1)>[x](javascript:alert(1))![y](data:image/png;base64,AA==)\n')],
  ] as const) {
    test(`a body of the largest size renders, inert and bounded: ${name}`, () => {
      assert.ok(source.length <= MAX_COMMENT_LENGTH);
      const html = renderMarkdown(source);
      assert.ok(html.length < source.length * 8, `${html.length} characters of HTML`);
      assertInert(html);
    });
  }
});
