/** The live page's HTML: the frame the script fills in (no data in it: that comes by stream). */
export function renderPageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>quartet live</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><link rel="stylesheet" href="/page.css"></head>
<body>
<header><h1>quartet live</h1><span id="conn">connecting…</span><span id="stream"></span></header>
<main>
<div class="col">
<section><h2>Ring and messages</h2>
<svg id="cluster" viewBox="0 0 520 520" role="img" aria-label="the ring and the nodes"></svg>
<div id="anim-controls">
<button id="a-pause">Pause animation</button>
<label>speed <select id="a-speed"><option value="1">1×</option><option value="0.5">½×</option>
<option value="0.25">¼×</option><option value="0.1">1/10×</option></select></label>
<button id="a-live">Back to live</button>
<label><input id="a-bg" type="checkbox"> heartbeats and anti-entropy</label>
<span id="a-lag"></span></div>
<div id="msg-counts"></div>
<ul id="drops"></ul>
</section>
<section><h2>Key</h2>
<form id="k-form"><input id="k-key" placeholder="a key, e.g. 5" size="12"> <button>Show replicas</button></form>
<div id="k-view"><p>Hover a key in the results, or name one, to see its replica set and versions.</p></div>
</section>
</div>
<div class="col">
<section><h2>Nodes</h2><table id="nodes"></table></section>
<section><h2>Links <small>(from row to column: mean delay, loss, partition)</small></h2><table id="links"></table></section>
<section><h2>Faults and repair</h2><div id="controls"></div></section>
</div>
</main>
<section id="prompt"><h2>Prompt <small>(every prompt line; results also show at the terminal)</small></h2>
<div id="rows"></div>
<form id="cmd-form"><span class="ps1" id="ps1">quartet&gt;</span>
<input id="cmd" autocomplete="off" spellcheck="false" placeholder="insert 5 1 one, get 5 all, help …">
<button>Run</button> <span id="cmd-status"></span></form>
</section>
<script src="/page.js"></script>
</body></html>
`;
}
