// How the dashboard fits the terminal: which parts show, how many attempt rows, where the table scrolls.
// Pure, so that 1 and 500 attempts on a 10- or 60-row terminal can be checked without a terminal.

export interface LayoutInput {
  rows: number;
  attempts: number;
  selected: number;
  /** The first visible row of the previous frame: scrolling moves only as far as the selection needs. */
  offset: number;
  logOpen: boolean;
  /** Lines below the table that must show: the final result, a notice. */
  extraLines: number;
}

export interface Layout {
  /** Header lines: 2 with the goal, 1 without. */
  headerLines: 1 | 2;
  columnHeader: boolean;
  /** The rows do not all fit: the table scrolls and the log pane shrinks. */
  compact: boolean;
  offset: number;
  tableRows: number;
  /** Log lines shown (0 = no log pane; its title line comes on top). */
  logLines: number;
}

export const logMin = 3;
export const logMax = 12;

/** The smallest scroll that keeps `selected` among `visible` rows of `total`. */
export function keepVisible(selected: number, offset: number, visible: number, total: number): number {
  let next = offset;
  if (selected < next) next = selected;
  if (selected >= next + visible) next = selected - visible + 1;
  return Math.max(0, Math.min(next, total - visible));
}

export function layout(input: LayoutInput): Layout {
  // Ink redraws the whole screen when a frame is as tall as the terminal: stay one line short of it.
  const usable = Math.max(1, input.rows - 1);
  const rowsWanted = Math.max(1, input.attempts);
  const chrome = (headerLines: number, columnHeader: boolean) => headerLines + 1 + (columnHeader ? 1 : 0) + 1 + input.extraLines;

  const space = usable - chrome(2, true);
  if (!input.logOpen && rowsWanted <= space) return full(rowsWanted, 0);
  if (input.logOpen && space - rowsWanted - 1 >= logMin) return full(rowsWanted, Math.min(logMax, space - rowsWanted - 1));

  // Compact: the table scrolls. An open log keeps about a third of the room, never less than logMin lines.
  let headerLines: 1 | 2 = 2;
  let columnHeader = true;
  let room = space;
  let logLines = input.logOpen ? Math.max(logMin, Math.min(logMax, Math.floor(room / 3) - 1)) : 0;
  if (room - (logLines > 0 ? logLines + 1 : 0) < 3) {
    // A short terminal: the goal line and the column titles go before the rows do.
    headerLines = 1;
    columnHeader = false;
    room = usable - chrome(1, false);
    logLines = input.logOpen ? Math.max(0, Math.min(logMin, room - 3 - 1)) : 0;
  }
  const tableRows = Math.max(1, Math.min(rowsWanted, room - (logLines > 0 ? logLines + 1 : 0)));
  return {
    headerLines,
    columnHeader,
    compact: true,
    tableRows,
    logLines,
    offset: keepVisible(input.selected, input.offset, tableRows, input.attempts),
  };

  function full(tableRows: number, logLines: number): Layout {
    return { headerLines: 2, columnHeader: true, compact: false, tableRows, logLines, offset: 0 };
  }
}

/** Total lines of a frame laid out this way (what the tests hold to `rows - 1`). */
export const frameHeight = (l: Layout, extraLines: number): number =>
  l.headerLines + 1 + (l.columnHeader ? 1 : 0) + l.tableRows + (l.logLines > 0 ? l.logLines + 1 : 0) + extraLines + 1;
