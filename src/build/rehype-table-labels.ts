import type { Element, ElementContent, Root, RootContent } from 'hast';

/**
 * Gives each body cell of a docs table its column's heading as `data-label`. On a phone the
 * stylesheet turns each row into a card, the first cell as its title and every other cell
 * under its label, instead of squeezing four columns into a few words each.
 */
export function rehypeTableLabels() {
  return (tree: Root) => {
    for (const table of elementsNamed(tree, 'table')) labelCells(table);
  };
}

function labelCells(table: Element): void {
  const headings = elementsNamed(table, 'th').map(textOf);
  for (const row of elementsNamed(table, 'tr')) {
    const cells = row.children.filter((child): child is Element => isElement(child, 'td'));
    cells.forEach((cell, index) => {
      const label = headings[index];
      if (index > 0 && label) cell.properties.dataLabel = label;
    });
  }
}

function isElement(node: RootContent | ElementContent, name: string): node is Element {
  return node.type === 'element' && node.tagName === name;
}

/** Every element called `name` under `parent` (inside MDX components too), in document order. */
function elementsNamed(parent: Root | Element, name: string): Element[] {
  return parent.children.flatMap((child) => [
    ...(isElement(child, name) ? [child] : []),
    ...('children' in child ? elementsNamed(child as Element, name) : []),
  ]);
}

function textOf(node: Element | ElementContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map(textOf).join('').trim() : '';
}
