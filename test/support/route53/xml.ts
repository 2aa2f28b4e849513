/**
 * Just enough XML for Route 53's request bodies: elements, text and entities, no attributes kept
 * beyond xmlns. The SDK writes ChangeResourceRecordSetsRequest without mixed content
 * (aws/aws-sdk-js-v3 clients/client-route-53, AwsRestXmlProtocol), so a small reader suffices.
 */
export type XmlNode = { readonly name: string; readonly children: XmlNode[]; text: string };

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export const unescapeXml = (text: string): string =>
  text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) =>
    entity.startsWith('#x') || entity.startsWith('#X')
      ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith('#')
        ? String.fromCodePoint(Number(entity.slice(1)))
        : (ENTITIES[entity] ?? ''),
  );

export const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

/** Parses a document into its root element; throws on anything malformed. */
export function parseXml(source: string): XmlNode {
  const body = source.replace(/^\s*<\?xml[^?]*\?>/, '');
  const stack: XmlNode[] = [{ name: '#document', children: [], text: '' }];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = tag.exec(body)) !== null) {
    if (match.index !== consumed) throw new Error('malformed XML');
    consumed = tag.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    const top = stack.at(-1)!;
    if (text !== undefined) {
      top.text += unescapeXml(text);
    } else if (closing) {
      if (top.name !== name) throw new Error(`malformed XML: </${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: XmlNode = { name: name!, children: [], text: '' };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  if (consumed !== body.length || stack.length !== 1) throw new Error('malformed XML: not closed');
  const root = stack[0]!.children[0];
  if (!root) throw new Error('malformed XML: no root element');
  return root;
}

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node?.children.find((c) => c.name === name);
export const children = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node?.children.filter((c) => c.name === name) ?? [];
export const textOf = (node: XmlNode | undefined, name: string): string | undefined => {
  const found = child(node, name);
  return found ? found.text.trim() : undefined;
};
