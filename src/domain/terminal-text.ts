// Text from agents (their output, tool summaries, reasons) printed to a terminal: escape sequences in it could set
// the clipboard (OSC 52), retitle the window, hide or rewrite lines, or worse. Everything orch prints passes here.

/* eslint-disable no-control-regex -- control characters are what these patterns are about */
/** ESC sequences: CSI, OSC / DCS / SOS / PM / APC strings (to their terminator, or the end of the line), the rest. */
const escapeSequence = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)/g;
/** C0 controls but \t and \n, DEL, and the C1 controls U+0080–U+009F (8-bit CSI, OSC, ...). */
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

/** The text without terminal control: escape sequences and control characters removed; \n and \t kept. */
export function stripTerminalControls(text: string): string {
  return text.replace(escapeSequence, '').replace(controlCharacter, '');
}
