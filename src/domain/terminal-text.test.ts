import { describe, expect, it } from 'vitest';
import { stripTerminalControls } from './terminal-text.ts';

const esc = '\u001b';

describe('stripTerminalControls', () => {
  it('removes escape sequences and control characters, keeping text, newlines and tabs', () => {
    expect(stripTerminalControls(`copy ${esc}]52;c;ZXZpbA==\u0007done`)).toBe('copy done');
    expect(stripTerminalControls(`title ${esc}]0;pwned${esc}\\ ok`)).toBe('title  ok');
    expect(stripTerminalControls(`${esc}[31mred${esc}[0m ${esc}[2J${esc}[?25l`)).toBe('red ');
    expect(stripTerminalControls(`unterminated ${esc}]52;c;AAAA\nnext line`)).toBe('unterminated \nnext line');
    expect(stripTerminalControls(`dcs ${esc}Pq#0;2;0;0;0${esc}\\ end ${esc}c reset ${esc}(B`)).toBe('dcs  end  reset ');
    expect(stripTerminalControls('c1 \u009b31m csi \u009d52;c;x\u009c bell\u0007 bs\b del\u007f cr\r')).toBe('c1 31m csi 52;c;x bell bs del cr');
    expect(stripTerminalControls('keep\ttabs\nand lines — ünïcode ✔')).toBe('keep\ttabs\nand lines — ünïcode ✔');
  });
});
