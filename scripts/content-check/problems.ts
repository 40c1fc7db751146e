import type { Position } from 'unist';

/** One thing wrong in a page, where an editor can jump to it. */
export interface Problem {
  /** The file, relative to the project root. */
  file: string;
  line: number;
  column: number;
  message: string;
}

/** A place in a file: a line and a column, both counted from 1. */
export interface Place {
  line: number;
  column: number;
}

/** The start of a node, or the top of the file for a node the parser did not place. */
export function startOf(position: Position | undefined): Place {
  return position ? { line: position.start.line, column: position.start.column } : { line: 1, column: 1 };
}

/** Collects the problems found in one file. */
export class FileProblems {
  readonly file: string;
  readonly list: Problem[] = [];

  constructor(file: string) {
    this.file = file;
  }

  add(place: Place, message: string): void {
    this.list.push({ file: this.file, line: place.line, column: place.column, message });
  }
}

/** `file:line:column: message`, the form editors and terminals turn into links. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}
