import test from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { createStyle } from '../../src/terminal/style.js';
import { formatPbsTable } from '../../src/sim/pbs-command.js';
import { assertFits, testWidths } from '../helpers/widths.js';

const style = createStyle({ isTTY: true });
const tMs = Array.from({ length: 11 }, (_, i) => i * 300);
const figures = tMs.map((_, i) => Math.min(1, 0.5 + i * 0.05));
const columns = ['one/one', 'quorum/one', 'one/quorum', 'two/two'].map((name) => ({
  name,
  measured: figures,
  predicted: figures,
}));

for (const width of testWidths) {
  test(`quartet sim --pbs's table fits ${width} columns`, async (t) => {
    const configPath = new URL('../../../configs/default.json', import.meta.url).pathname;
    const config = await loadConfig(configPath);
    const text = formatPbsTable({ configPath, config, trials: 2000, tMs, columns }, style, width);
    assertFits(t, text, width);
    t.regex(text, /two\/two/);
  });
}
