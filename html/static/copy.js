/*
 * Copy buttons (issue 13): a button data-copy="ID" copies the value of
 * the field #ID and says so in #ID-copied (aria-live). Optional: the buttons are hidden in the HTML and shown
 * only here, so without JavaScript there is no button that does nothing,
 * and the read-only field is still there to select by hand. A field with
 * data-copy-select is selected whole when it takes focus. The words
 * come from the button's data-done and data-refused attributes, so they
 * are translated with the page (the template), not here.
 */
'use strict';
(function () {
  function say(field, text) {
    var out = document.getElementById(field.id + '-copied');
    if (out) out.textContent = text;
  }

  function fallback(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand('copy');
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var done = function () {
      say(field, button.getAttribute('data-done') || '');
    };
    var failed = function () {
      field.focus();
      field.select();
      say(field, button.getAttribute('data-refused') || '');
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (fallback(field)) done(); else failed();
      });
    } else if (fallback(field)) {
      done();
    } else {
      failed();
    }
  }

  document.querySelectorAll('[data-copy-select]').forEach(function (field) {
    field.addEventListener('focus', function () { field.select(); });
  });
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { copy(button); });
  });
})();
