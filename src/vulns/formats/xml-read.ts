import type { XmlElement } from './format.js';
import { withoutNul } from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * Reads of an XmlElement (as the XML driver hands it over) that fail with the element path of the offending
 * element, e.g. `/analysis/dependencies/dependency[3]/vulnerabilities/vulnerability[2]/severity`, so "what and
 * where" reads the same as the JSON pointers of json-read.ts.
 *
 * Path convention: a child that is the only one of its name is `<parent>/<name>`; a child among several of its
 * name is `<parent>/<name>[n]` (1-based, in document order, counting only siblings of that name). Attributes are
 * `<element>/@<name>`. Every string that comes out has its NUL characters removed; nothing else is changed
 * (the driver has already trimmed element text).
 */
export interface XmlNode {
  element: XmlElement;
  pointer: string;
}

export function xmlNode(element: XmlElement, pointer: string): XmlNode {
  return { element, pointer };
}

/** The child elements named `name`, in document order, each with its path. */
export function children(node: XmlNode, name: string): XmlNode[] {
  const found = node.element.children.filter((c) => c.name === name);
  return found.map((element, i) => ({ element, pointer: `${node.pointer}/${name}${found.length > 1 ? `[${i + 1}]` : ''}` }));
}

/** The first child element named `name`, or null when there is none. */
export function child(node: XmlNode, name: string): XmlNode | null {
  return children(node, name)[0] ?? null;
}

/** The first child element named `name`; ReportError at `<parent>/<name>` when there is none. */
export function requiredChild(node: XmlNode, name: string): XmlNode {
  const found = child(node, name);
  if (!found) throw new ReportError(`${node.pointer}/${name}`, 'is required');
  return found;
}

/**
 * The element's own text, or null when it is empty. An element that holds other elements where text is expected
 * (`<severity><x/></severity>`) is a ReportError at its path.
 */
export function ownText(node: XmlNode): string | null {
  if (node.element.children.length > 0) throw new ReportError(node.pointer, 'must be text, not elements');
  const text = withoutNul(node.element.text);
  return text.trim() === '' ? null : text;
}

/** The text of the first child named `name`; null when the child is absent or empty. */
export function textOf(node: XmlNode, name: string): string | null {
  const found = child(node, name);
  return found && ownText(found);
}

/** The text of the first child named `name`; ReportError at its path when it is absent or empty. */
export function requiredTextOf(node: XmlNode, name: string): string {
  const text = textOf(node, name);
  if (text === null) throw new ReportError(`${node.pointer}/${name}`, 'must be non-empty text');
  return text;
}

/** An attribute's value (by local name), or null when it is absent or blank. */
export function attr(node: XmlNode, name: string): string | null {
  const value = node.element.attributes[name];
  if (value === undefined) return null;
  const text = withoutNul(value);
  return text.trim() === '' ? null : text;
}

/** The path of an attribute, for errors about its value. */
export function attrPointer(node: XmlNode, name: string): string {
  return `${node.pointer}/@${name}`;
}
