namespace AffectFuse.Reporting;

/// <summary>The HTML reports' one inline style sheet: system fonts only, tables scroll sideways on narrow screens,
/// shading kept when printing.</summary>
internal static class ReportStyle
{
    /// <summary>The CSS (no '&lt;' or '&amp;', so it is safe inside a style element and in XML).</summary>
    public const string Css = """

:root{color-scheme:light}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact;box-sizing:border-box}
body{margin:0;background:#fff;color:#1f2328;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:1.7em;margin:.3em 0 .1em;overflow-wrap:anywhere}
h2{font-size:1.25em;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:1px solid #d0d7de}
.sub,.note,figcaption,footer{color:#59636e}
.sub{overflow-wrap:anywhere}
.note,figcaption{font-size:.87em}
footer{margin-top:2.5em;font-size:.8em;border-top:1px solid #d0d7de}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:1em}
.card{flex:1 1 150px;border:1px solid #d0d7de;border-radius:8px;padding:10px 14px}
.card .v{font-size:1.75em;font-weight:600;line-height:1.2;font-variant-numeric:tabular-nums}
.card .k{color:#59636e;font-size:.85em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:.4em 0;font-variant-numeric:tabular-nums}
th,td{padding:4px 9px;border-bottom:1px solid #e6e9ed;vertical-align:top}
thead th{border-bottom:2px solid #c8d1da;text-align:right;white-space:nowrap}
table.num td,table.num thead th{text-align:right}
table.num td:first-child,table.num thead th:first-child,table.num td.id,table.num td.label{text-align:left}
table.num td{white-space:nowrap}
table.num td.id{white-space:normal;overflow-wrap:anywhere;min-width:10em;max-width:22em}
td.total{font-weight:600;border-top:2px solid #c8d1da}
td.best{font-weight:700;background:#e3f4e6}
table.kv th{text-align:left;font-weight:normal;color:#59636e;white-space:nowrap;padding-right:1.2em}
table.kv td{overflow-wrap:anywhere}
table.cm th{font-weight:600;font-size:.85em}
table.cm tbody th{text-align:left;white-space:nowrap}
table.cm td{text-align:center;min-width:3.6em;border:1px solid #fff}
table.cm td.diag{outline:2px solid #1f2328;outline-offset:-2px}
table.cm td.total{border:none;border-left:2px solid #c8d1da;text-align:right}
.cm .count{display:block;font-weight:600}
.cm .share{display:block;font-size:.75em;opacity:.9}
figure{margin:1.2em 0}
img{display:block;max-width:100%;height:auto;border:1px solid #e6e9ed}
@media (max-width:640px){body{font-size:14px}main{padding:10px 10px 30px}th,td{padding:3px 6px}.card{flex-basis:120px}.card .v{font-size:1.4em}}
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}.scroll{overflow:visible}figure,table.cm,.cards,table.kv{break-inside:avoid}h2{break-after:avoid}img{max-height:9in;width:auto;border:none}}

""";
}
