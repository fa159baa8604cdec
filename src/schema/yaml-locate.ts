// Finds the line and column of a field in a parsed YAML document, falling back to the nearest parent that exists.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * The position of `path` in the document. With `atKey`, the position of the last key itself (for unknown keys).
 * A missing field resolves to the key of its parent, so "missing session.login.path" points at `login:`.
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): SourcePosition {
  let node: unknown = doc.contents;
  let lastKeyNode: Node | undefined;
  let offset = nodeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const isLast = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(key));
      if (!pair) break;
      lastKeyNode = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? (pair.key as Node) : undefined;
      if (isLast && atKey && lastKeyNode) return position(lineCounter, nodeStart(lastKeyNode) ?? offset);
      node = pair.value;
      const start = nodeStart(node) ?? (lastKeyNode ? nodeStart(lastKeyNode) : undefined);
      if (start === undefined) break;
      offset = start;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      const start = nodeStart(item);
      if (start === undefined) break;
      lastKeyNode = undefined;
      node = item;
      offset = start;
    } else {
      break;
    }
    if (isLast) return position(lineCounter, offset);
  }
  // The path ends at a node that does not exist: point at the key holding the deepest existing parent.
  return position(lineCounter, lastKeyNode ? (nodeStart(lastKeyNode) ?? offset) : offset);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function nodeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function position(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
