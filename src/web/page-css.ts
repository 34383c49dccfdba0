/** The live page's style: large and plain, for a projector. */
export const pageCss = `
body{font:15px system-ui,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
header{display:flex;gap:18px;align-items:baseline;padding:8px 16px;background:#1f2933;color:#fff}
header h1{font-size:19px;margin:0}#conn.down{color:#ff9b9b}#stream{font-size:13px;color:#cbd2d9}
main{display:grid;grid-template-columns:minmax(440px,560px) 1fr;gap:10px;padding:10px 16px 0}
section{background:#fff;border:1px solid #cbd2d9;padding:6px 10px;margin-bottom:10px}
section h2{font-size:15px;margin:2px 0 6px}section h2 small{font-weight:normal;color:#52606d}
#cluster{width:100%;max-width:520px;display:block}
#anim-controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;font-size:13px}
#msg-counts{font-size:13px;margin-top:4px}#drops{font:12px ui-monospace,monospace;margin:4px 0;padding-left:18px;max-height:110px;overflow:auto}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #cbd2d9;padding:3px 7px;text-align:left}
.st-up{background:#c6f7e2}.st-suspect{background:#fff3c4}.st-down,.st-killed,.st-unreachable{background:#ffe3e3}
.st-paused,.st-starting{background:#e4e7eb}td.cut{background:#ffe3e3;color:#cf1124;font-weight:600}td.self{background:#f0f4f8}
#controls div{margin:4px 0}#controls input[type=number]{width:70px}#controls select{font-size:14px}
#prompt{margin:0 16px 16px}#rows{font:13px ui-monospace,monospace;white-space:pre;overflow:auto;max-height:40vh;background:#1f2933;color:#e4e7eb;padding:6px}
#rows .err{color:#ff9b9b}#rows .repair{color:#9fb3c8}#rows [data-key]{cursor:help}
#cmd-form{display:flex;gap:6px;align-items:center;margin-top:6px}#cmd{flex:1;font:15px ui-monospace,monospace;padding:4px}
.ps1{font:15px ui-monospace,monospace}#cmd-status{font-size:13px;color:#cf1124}
.arc{fill:none;stroke-width:16}.node-dot{stroke:#1f2933;stroke-width:2}.node-label{font:bold 18px system-ui;text-anchor:middle;dominant-baseline:central;fill:#fff;pointer-events:none}
.node-dot.down,.node-dot.killed{fill:#9aa5b1!important;stroke-dasharray:4 3}.node-dot.paused{opacity:.5}.node-dot.replica{stroke:#f0b429;stroke-width:6}
.msg{stroke:#fff;stroke-width:1}.drop{stroke:#cf1124;stroke-width:3}.key-mark{fill:#f0b429;stroke:#1f2933}
.link-cut{stroke:#cf1124;stroke-width:2;stroke-dasharray:6 4}.link{stroke:#d9e2ec;stroke-width:1}
`;
