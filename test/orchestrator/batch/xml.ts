/** An element of a parsed XML document. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A small strict XML parser for tests: elements, attributes, text, the five entities and
 * numeric references, one root. Throws on anything not well-formed.
 */
export function parseXml(source: string): XmlElement {
  let index = 0;
  const fail = (message: string): never => {
    throw new Error(`XML error at offset ${index}: ${message}`);
  };
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail('`<` in text or attribute');
    return raw.replace(/&([^;]*);?/g, (match, name: string) => {
      if (!match.endsWith(';')) fail(`unterminated entity ${match}`);
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return entities[name] ?? fail(`unknown entity &${name};`);
    });
  };
  const skipSpace = () => {
    while (/\s/.test(source.charAt(index))) index++;
  };
  const readName = (): string => {
    const match = /^[A-Za-z_][\w.-]*/.exec(source.slice(index));
    if (match === null) return fail('expected a name');
    index += match[0].length;
    return match[0];
  };
  const parseElement = (): XmlElement => {
    if (source.charAt(index) !== '<') fail('expected `<`');
    index++;
    const element: XmlElement = { name: readName(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', index)) {
        index += 2;
        return element;
      }
      if (source.charAt(index) === '>') {
        index++;
        break;
      }
      const name = readName();
      if (name in element.attributes) fail(`attribute ${name} twice`);
      skipSpace();
      if (source.charAt(index) !== '=') fail('expected `=`');
      index++;
      skipSpace();
      const quote = source.charAt(index);
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = source.indexOf(quote, index + 1);
      if (end === -1) fail('unterminated attribute');
      element.attributes[name] = decode(source.slice(index + 1, end));
      index = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', index);
      if (next === -1) fail(`unclosed <${element.name}>`);
      element.text += decode(source.slice(index, next));
      index = next;
      if (source.startsWith('</', index)) {
        index += 2;
        const name = readName();
        if (name !== element.name) fail(`</${name}> closes <${element.name}>`);
        skipSpace();
        if (source.charAt(index) !== '>') fail('expected `>`');
        index++;
        return element;
      }
      element.children.push(parseElement());
    }
  };
  if (source.startsWith('<?xml')) {
    index = source.indexOf('?>') + 2;
    if (index < 2) fail('unterminated declaration');
  }
  skipSpace();
  const root = parseElement();
  skipSpace();
  if (index !== source.length) fail('content after the root element');
  return root;
}

/** Every element named `name` under `element`, at any depth. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...findAll(child, name),
  ]);
}
