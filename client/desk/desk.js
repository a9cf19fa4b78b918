// minga parish desk: light progressive enhancement. Every page works without it.
document.addEventListener('DOMContentLoaded', function () {
  // After a refused form, move focus to the error summary so it is read first.
  var summary = document.getElementById('resumen-errores');
  if (summary) summary.focus();
  // Ask before deleting.
  document.querySelectorAll('form[data-confirmar]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirmar'))) e.preventDefault();
    });
  });
  // The print button of the project sheet.
  document.querySelectorAll('[data-imprimir]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
});
