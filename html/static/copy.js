/*
 * Copy buttons (issue 13): a button data-copy="ID" copies the value of
 * the field #ID and says so in #ID-copied (aria-live). Optional: the buttons are hidden in the HTML and shown
 * only here, so without JavaScript there is no button that does nothing,
 * and the read-only field is still there to select by hand. A field with
 * data-copy-select is selected whole when it takes focus.
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
      button.textContent = 'Copied';
      say(field, 'Copied.');
    };
    var failed = function () {
      field.focus();
      field.select();
      say(field, 'Copying was refused: select the text and copy it.');
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
