// The page's inline CSS and its one small script (progressive: the page is complete without it).

/** Screen and print styles; colours name the states used in charts, legends and tables. */
export const REPORT_CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--err:#9a3412;--skip:#6e7781;--warn:#bf8700;--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg);margin:0 auto;max-width:1200px;padding:0 16px 48px}
h1,h2,h3{line-height:1.2}h2{margin:28px 0 8px}h3{margin:18px 0 6px;font-size:15px}
code,pre,.mono{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--soft);border:1px solid var(--line);padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td{overflow-wrap:anywhere}
.verdict-banner{margin:16px 0;padding:14px 18px;border-radius:6px;color:#fff}
.verdict-banner h1{margin:0;font-size:26px}.verdict-banner p{margin:4px 0 0}
.bg-passed{background:var(--ok)}.bg-failed{background:var(--bad)}.bg-error{background:var(--err)}.bg-skipped{background:var(--skip)}
.v{display:inline-block;white-space:nowrap;min-width:64px;padding:1px 6px;border-radius:3px;color:#fff;font-weight:600;font-size:12px;text-align:center}
.v-passed{background:var(--ok)}.v-failed{background:var(--bad)}.v-error{background:var(--err)}.v-skipped{background:var(--skip)}
.v-warning{background:var(--warn)}.v-info{background:var(--skip)}
.scenario{border:1px solid var(--line);border-radius:6px;margin:14px 0;padding:0 14px 8px}
.scenario>summary{cursor:pointer;padding:10px 0;font-size:17px;font-weight:600}
.muted{color:var(--muted)}.problem{color:var(--bad)}
details.more>summary{cursor:pointer;color:var(--muted);margin:6px 0}
tr.failed td{background:#fff5f5}tr.warning td{background:#fff8e1}
.bar{display:block;width:180px;height:10px}
.chart{margin:8px 0}svg{width:100%;height:auto;display:block;font-size:10px}
svg .grid{stroke:#eaeef2;stroke-width:1}svg .tick{fill:var(--muted)}
svg .series{fill:none;stroke-width:2}.series-desired{stroke:#6e7781;stroke-dasharray:5 3}.series-available{stroke:var(--ok)}.series-updated{stroke:#0969da}
svg .action line{stroke:#8250df;stroke-dasharray:3 3;stroke-width:1.2}svg .action text{fill:#8250df;font-weight:700}
svg .action-mark{fill:#8250df}svg .gap line{stroke:#cf222e;stroke-width:3;opacity:.5}svg .gap-span rect{fill:#cf222e;opacity:.15}
svg .step rect{fill:#eef1f4;stroke:#fff}svg .step-odd rect{fill:#e2e7ec}svg .step-failed rect,svg .step-error rect{fill:#ffd8d3}svg .step text{fill:var(--ink)}
svg .lane-label{fill:var(--ink);font-size:10.5px}
.node-ready{fill:#4ac26b;background:#4ac26b}.node-notready{fill:#e5534b;background:#e5534b}.node-unknown{fill:#8c959f;background:#8c959f}
.tainted{fill:#d4a72c;background:#d4a72c}.cordon{fill:#24292f;background:#24292f}
.pod-ready rect,.area.pod-ready{fill:#1a7f37}.pod-ready-old rect,.area.pod-ready-old{fill:#54aeff}.pod-notready rect,.area.pod-notready{fill:#d4a72c}
.pod-pending rect,.area.pod-pending{fill:#d0d7de}.pod-failing rect,.area.pod-failing{fill:#cf222e}.pod-terminating rect,.area.pod-terminating{fill:#8c959f}.area.pod-none{fill:#fbefff}
.area.node-ready{fill:#4ac26b}.area.cordon{fill:#24292f}.area.node-unknown{fill:#8c959f}.area.node-notready{fill:#e5534b}
svg .pod text{fill:#fff;font-size:8px}svg .hover{fill:transparent}svg .hover:hover{fill:rgba(130,80,223,.08)}
.key{display:inline-block;padding:0 6px;border-radius:3px;margin:1px 2px;font-size:12px}
.legend .key{color:#fff}.legend .key.pod-pending,.legend .key.node-unknown{color:var(--ink)}
span.key.pod-ready{background:#1a7f37}span.key.pod-ready-old{background:#54aeff}span.key.pod-notready{background:#d4a72c}span.key.pod-pending{background:#d0d7de}span.key.pod-failing{background:#cf222e}span.key.pod-terminating{background:#8c959f}
.key-desired{border-bottom:2px dashed #6e7781}.key-available{border-bottom:2px solid var(--ok)}.key-updated{border-bottom:2px solid #0969da}
input.filter{margin:6px 0;padding:4px 6px;width:280px}
.cell{min-width:18px;padding:0 3px}.sparkline{width:200px;height:36px}.sparkline polyline{fill:none;stroke:#0969da;stroke-width:1.5}.sparkline .threshold{stroke:#cf222e;stroke-dasharray:4 3}.dot-passed{fill:#1a7f37}.dot-failed{fill:#cf222e}
@media print{
body{max-width:none;padding:0;font-size:11px}
.verdict-banner,.v,.key,svg *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.scenario{break-inside:auto;border:none;padding:0}
tr,figure,svg{break-inside:avoid}
input.filter,.noprint{display:none}
h2{break-after:avoid}
}
`;

/** Opens collapsed sections for printing (and closes them after), and enables table filters. */
export const REPORT_SCRIPT = `(function(){
var d=document;
addEventListener('beforeprint',function(){d.querySelectorAll('details:not([open])').forEach(function(e){e.open=true;e.setAttribute('data-print-opened','');});});
addEventListener('afterprint',function(){d.querySelectorAll('details[data-print-opened]').forEach(function(e){e.open=false;e.removeAttribute('data-print-opened');});});
d.querySelectorAll('input[data-filter]').forEach(function(i){
var t=d.getElementById(i.getAttribute('data-filter'));if(!t)return;i.hidden=false;
i.addEventListener('input',function(){var q=i.value.toLowerCase();t.querySelectorAll('tbody tr').forEach(function(r){r.hidden=!!q&&r.textContent.toLowerCase().indexOf(q)<0;});});
});
d.documentElement.setAttribute('data-js','ready');
})();`;
