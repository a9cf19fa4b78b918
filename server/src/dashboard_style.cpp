// The dashboard's style sheet, compiled into the binary (no CDN, no file to install).
// Sized for a 1366×768 laptop; `@media print` gives a clean A4 copy (no buttons, colours kept).
#include "dashboard_view.hpp"

namespace minga::server {

std::string_view dashboard_css() {
    return R"css(
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 "DejaVu Sans",Arial,sans-serif;color:#1d2327;background:#f4f6f8}
header{display:flex;justify-content:space-between;align-items:center;padding:8px 20px;background:#123c5a;color:#fff}
header h1{font-size:20px;margin:0}
.meta{margin:2px 0 0;font-size:13px;color:#d5e4ee}
button{font:inherit;padding:6px 14px;border:1px solid #8aa;border-radius:4px;background:#fff;color:#123c5a;cursor:pointer}
main{max-width:1320px;margin:0 auto;padding:12px 20px}
h2{font-size:16px;margin:14px 0 6px;color:#123c5a}
.cards{display:grid;grid-template-columns:repeat(5,1fr);gap:10px}
.card{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:8px 12px}
.card .label{display:block;font-size:12px;color:#56636e}
.card .value{display:block;font-size:20px;font-weight:bold}
.grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 20px}
.grid .ancho{grid-column:1/-1}
.compacto td.bar,.compacto th.bar{display:none}
.compacto table{font-size:12px}
table{width:100%;border-collapse:collapse;background:#fff;font-size:13px}
th,td{padding:3px 6px;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:middle}
th{background:#e9eef2;font-weight:600}
.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.bar{width:18%;min-width:80px;position:relative}
td.bar span{display:inline-block;height:10px;background:#2a6f97;vertical-align:middle;max-width:100%}
td.bar em{font-style:normal;font-size:12px;margin-left:4px}
.chip{display:inline-block;min-width:22px;text-align:center;color:#fff;font-weight:bold;border-radius:3px;padding:0 3px}
.migas{font-size:13px;margin-bottom:4px}
a{color:#0b5c8c}
.aviso{background:#fff4d6;border:1px solid #e0b84c;padding:6px 10px;border-radius:4px}
.nota{font-size:12px;color:#56636e;margin:2px 0}
tr.atrasado td{background:#fff4d6}
td.alerta{color:#b3261e;font-weight:bold}
footer{max-width:1320px;margin:10px auto;padding:0 20px 20px;font-size:12px;color:#56636e}
.login{max-width:420px;margin:80px auto;background:#fff;padding:20px;border:1px solid #d8dee4;border-radius:6px}
.login input{display:block;width:100%;margin:6px 0 12px;padding:6px;font:inherit}
@media (max-width:1000px){.cards{grid-template-columns:repeat(2,1fr)}.grid{grid-template-columns:1fr}}
@media print{
  @page{size:A4;margin:12mm}
  body{background:#fff;font-size:10pt}
  header{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 4px}
  .meta{color:#000}
  .no-print,button{display:none}
  main,footer{max-width:none;padding:0}
  .cards{grid-template-columns:repeat(5,1fr)}
  .grid{display:block}
  table{font-size:9pt}
  tr,.card{break-inside:avoid}
  section{break-inside:auto}
  a{color:#000;text-decoration:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";
}

}  // namespace minga::server
