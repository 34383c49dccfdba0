import { readFileSync } from 'node:fs';
import type { ReportData } from './report-data.js';
import { reportScript } from './report-script.js';

/** The diagram code as the browser runs it: the compiled modules without imports and exports. */
export function loadDiagramScript(): string {
  return ['./diagram-window.js', './lamport-svg.js']
    .map((file) =>
      readFileSync(new URL(file, import.meta.url), 'utf8')
        .replace(/^import [\s\S]*? from '[^']+';$/gm, '')
        .replace(/^\/\/# sourceMappingURL=.*$/m, '')
        .replace(/^export /gm, ''),
    )
    .join('\n');
}

const pageCss = `
body{font:14px system-ui,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
header{padding:8px 16px;background:#1f2933;color:#fff}header h1{font-size:17px;margin:0 0 2px}
#controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px 16px;background:#e4e7eb}
#controls label{font-size:12px}#controls input[type=number]{width:80px}#controls input#f-op{width:70px}
main{display:grid;grid-template-columns:minmax(420px,1fr) 430px;gap:10px;padding:10px 16px}
#lanes{position:relative;height:20px;font-weight:600}#lanes span{position:absolute;width:40px;text-align:center}
#scroller{position:relative;height:70vh;overflow:auto;background:#fff;border:1px solid #cbd2d9}
#diagram{position:absolute;left:0}#drawn{font-size:12px;color:#52606d}
section{background:#fff;border:1px solid #cbd2d9;padding:6px 10px;margin-bottom:10px}
section h2{font-size:14px;margin:2px 0 6px}
#op-list{position:relative;height:180px;overflow:auto;font:12px ui-monospace,monospace}
.op-row{position:absolute;left:0;right:0;height:22px;line-height:22px;cursor:pointer;white-space:nowrap;padding-left:4px}
.op-row:hover{background:#e4e7eb}.op-row.selected{background:#bae3ff}
table.quorum{border-collapse:collapse;font-size:12px}table.quorum td,table.quorum th{border:1px solid #cbd2d9;padding:2px 6px}
.st-counted{background:#c6f7e2}.st-late{background:#fff3c4}.st-dropped{background:#ffe3e3}
.finding{font-size:12px;padding:3px 0;border-bottom:1px solid #e4e7eb}.finding.broken b{color:#cf1124}
`;

/** The whole report: one self-contained HTML file (inline CSS, JS and data; no network). */
export function renderReportPage(
  data: ReportData,
  diagramCss: string,
  title = 'quartet report',
): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${pageCss}${diagramCss}</style></head>
<body>
<header><h1>${title}</h1><div id="summary"></div></header>
<div id="controls">
<label>key <select id="f-key"><option value="">all</option></select></label>
<label>node <select id="f-node"><option value="">all</option></select></label>
<label>operation <input id="f-op" type="number" min="0" placeholder="all"></label>
<label>level <select id="f-level"><option value="">all</option></select></label>
<label>from <input id="f-from" type="number" min="0" step="any" value="0"> ms</label>
<label>to <input id="f-to" type="number" min="0" step="any"> ms</label>
<label><input id="f-bg" type="checkbox"> hide background (heartbeats, anti-entropy)</label>
<button id="mode">Show causal order</button><button id="zoom-in">Zoom in</button><button id="zoom-out">Zoom out</button>
<button id="export">Export SVG</button>
</div>
<main>
<div><div id="lanes"></div><div id="scroller"><div id="spacer"></div><div id="diagram"></div></div><div id="drawn"></div></div>
<div>
<section><h2>Operations <span id="op-count"></span></h2><div id="op-list"></div></section>
<section><h2>Quorum accounting</h2><div id="quorum"><p>Click an operation (in the list or on the diagram).</p></div></section>
<section><h2>Replica versions</h2><div id="versions"></div></section>
<section><h2>Findings of quartet check</h2><div id="findings"></div></section>
</div>
</main>
<script type="application/json" id="data">${json}</script>
<script>
(function () {
const DATA = JSON.parse(document.getElementById('data').textContent);
${loadDiagramScript()}
${reportScript}
})();
</script>
</body></html>
`;
}
