import MarkdownIt from 'markdown-it';

/**
 * Comments are Markdown, rendered on the server into HTML that is safe to insert into a page: raw HTML is
 * escaped rather than passed through, and links and images may only point at http, https or mailto.
 */
const SCHEMES = new Set(['http', 'https', 'mailto']);

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false });

// markdown-it's own check is a deny-list that lets data: images through. This allow-list covers links, images and
// what linkify finds; a relative URL has no scheme and is refused too, as it would point into Vigil itself.
md.validateLink = (url) => SCHEMES.has(/^([a-z][a-z\d+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase() ?? '');

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  // Links are written by users: pass on no ranking, no window.opener and no referring page.
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}
