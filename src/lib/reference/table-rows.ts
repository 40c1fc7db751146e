import { escapeHtml, inlineCodeHtml } from '../html.ts';
import type { FieldRow } from './fields.ts';
import type { ParameterRow } from './parameters.ts';

/** A row of a reference table, ready to render, with the rows nested under it. */
export interface TableRow {
  name: string;
  /** `data-row`: the parameter as sent, or the field's dotted path; tests find rows by it. */
  key: string;
  /** A page anchor, for fields of an object's own section. */
  id?: string;
  /** Short marks beside the name: `required`, `expandable`, `optional`. */
  tags: string[];
  type: string;
  /** The description and its notes, as HTML. */
  html: string;
  /** What the collapsed nested rows are, as HTML. */
  summary: string;
  children: TableRow[];
}

const note = (text: string) => `<span class="kw-ref-note">${inlineCodeHtml(text)}</span>`;
const code = (text: string) => `<code>${escapeHtml(text)}</code>`;

/** Parameter rows as table rows: required ones marked, limits after the description. */
export function parameterTableRows(rows: readonly ParameterRow[]): TableRow[] {
  return rows.map((row) => ({
    name: row.name,
    key: row.name,
    tags: row.required ? ['required'] : [],
    type: row.type,
    html: inlineCodeHtml(row.description) + (row.constraints.length ? note(row.constraints.join(' ')) : ''),
    summary: `The keys of ${code(row.name)}`,
    children: parameterTableRows(row.children),
  }));
}

const valueList = (values: unknown[]) => values.map((value) => `\`${JSON.stringify(value)}\``).join(', ');

/**
 * Field rows as table rows. With `anchor` (`customer-object`) each row gets an id such as
 * `customer-object-address-city`; `expandable` names the dotted paths `expand[]` accepts.
 */
export function fieldTableRows(
  rows: readonly FieldRow[],
  options: { anchor?: string; expandable?: readonly string[] } = {},
): TableRow[] {
  return rows.map((row) => {
    const path = row.path.join('.');
    const values =
      row.values.length === 1
        ? note(`Always ${valueList(row.values)}.`)
        : row.values.length > 1
          ? note(`One of ${valueList(row.values)}.`)
          : '';
    return {
      name: row.name,
      key: path,
      ...(options.anchor ? { id: `${options.anchor}-${row.path.join('-')}` } : {}),
      tags: [
        ...(options.expandable?.includes(path) ? ['expandable'] : []),
        ...(row.optional ? ['optional'] : []),
      ],
      type: row.type,
      html: inlineCodeHtml(row.description) + values,
      summary: `The ${row.children.length} fields of ${code(row.name)}`,
      children: fieldTableRows(row.children, options),
    };
  });
}
