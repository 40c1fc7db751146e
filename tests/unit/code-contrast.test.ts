import { readFileSync } from 'node:fs';
import { bundledThemes } from 'shiki';
import { describe, expect, it } from 'vitest';
import { CODE_COLOR_FIXES, CODE_THEMES } from '../../src/lib/snippets/highlight.ts';

const css = readFileSync(new URL('../../src/styles/base.css', import.meta.url), 'utf8');

/** A custom property's value in the stylesheet's light (`:root {`) or dark block. */
function token(theme: 'light' | 'dark', name: string): string {
  const opener = theme === 'light' ? ':root {' : ":root[data-theme='dark'] {";
  const block = css.slice(css.indexOf(opener), css.indexOf('}', css.indexOf(opener)));
  const value = new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(block)?.[1];
  if (!value) throw new Error(`base.css has no ${name} for the ${theme} theme.`);
  return value;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(first: string, second: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((start) => {
      const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('code colours', () => {
  it.each(['light', 'dark'] as const)(
    'every token colour of the %s theme reads at 4.5:1 on the code background',
    async (theme) => {
      const name = CODE_THEMES[theme];
      const fixes: Record<string, string> = CODE_COLOR_FIXES[name];
      const { tokenColors = [] } = (await bundledThemes[name]()).default;
      // Tokens that bring their own background (a stray carriage return) are not text on ours.
      const colors = tokenColors
        .filter((rule) => rule.settings.foreground && !rule.settings.background)
        .map((rule) => rule.settings.foreground!.toLowerCase())
        .map((color) => fixes[color] ?? color);
      expect(colors.length).toBeGreaterThan(5);
      const background = token(theme, '--kw-code-bg');
      const failing = [...new Set(colors)]
        .map((color) => ({ color, background, ratio: contrast(color, background).toFixed(2) }))
        .filter(({ ratio }) => Number(ratio) < 4.5);
      expect(failing).toEqual([]);
    },
  );
});
